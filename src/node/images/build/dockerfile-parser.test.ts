import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile } from './dockerfile-parser.ts';

describe('parseDockerfile', () => {
  it('parses stages, meta ARGs, flags, both forms, continuations and comments', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=minato.local/busybox:1',
      '# a comment',
      'FROM ${BASE} AS Build',
      'ARG GREETING=hello NAME',
      'COPY --chown=app:app --chmod=0755 hello.txt /hello.txt',
      'ADD ["a b.tar", "/opt/"]',
      'RUN echo built > /built.txt && \\',
      '  # a comment inside a continuation',
      '',
      '  rm /x || true',
      'RUN ["/bin/sh", "-c", "true"]',
      'ENV A=b C="d e"',
      'ENV LEGACY some value',
      'LABEL org.example.v="1 2" k=v',
      'from build',
      'COPY --from=build /built.txt /',
      'WORKDIR /app',
      'USER 1000:1000',
      'EXPOSE 80 53/udp',
      'VOLUME ["/data"]',
      'SHELL ["/bin/sh", "-ec"]',
      'STOPSIGNAL SIGINT',
      'ENTRYPOINT ["/bin/app"]',
      'CMD echo hi',
      '',
    ].join('\n');
    const file = parseDockerfile(text);
    assert.equal(file.escape, '\\');
    assert.deepEqual(file.metaArgs.map((a) => a.args), [[{ name: 'BASE', value: 'minato.local/busybox:1' }]]);
    assert.equal(file.stages.length, 2);
    const [build, final] = file.stages;
    assert.ok(build && final);
    assert.equal(build.name, 'build');
    assert.equal(build.from.image, '${BASE}');
    assert.equal(build.from.line, 4);
    assert.equal(final.name, undefined);
    assert.deepEqual(build.instructions.map((i) => i.kind), ['ARG', 'COPY', 'ADD', 'RUN', 'RUN', 'ENV', 'ENV', 'LABEL']);
    assert.deepEqual(final.instructions.map((i) => i.kind), ['COPY', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'SHELL', 'STOPSIGNAL', 'ENTRYPOINT', 'CMD']);
    const [arg, copy, add, run, exec, env, legacy, label] = build.instructions;
    assert.deepEqual(arg?.kind === 'ARG' && arg.args, [{ name: 'GREETING', value: 'hello' }, { name: 'NAME' }]);
    assert.ok(copy?.kind === 'COPY');
    assert.deepEqual(copy.flags, { chown: 'app:app', chmod: '0755' });
    assert.deepEqual(copy.args, ['hello.txt', '/hello.txt']);
    assert.equal(copy.text, 'COPY --chown=app:app --chmod=0755 hello.txt /hello.txt');
    assert.deepEqual(add?.kind === 'ADD' && [add.args, add.json], [['a b.tar', '/opt/'], true]);
    // Docker joins continuation lines as they are: no space added, leading blanks kept.
    assert.deepEqual(run?.kind === 'RUN' && run.command, { shell: 'echo built > /built.txt &&   rm /x || true' });
    assert.equal(run?.line, 8);
    assert.deepEqual(exec?.kind === 'RUN' && exec.command, { exec: ['/bin/sh', '-c', 'true'] });
    assert.deepEqual(env?.kind === 'ENV' && env.pairs, [['A', 'b'], ['C', '"d e"']]);
    assert.deepEqual(legacy?.kind === 'ENV' && legacy.pairs, [['LEGACY', 'some value']]);
    assert.deepEqual(label?.kind === 'LABEL' && label.pairs, [['org.example.v', '"1 2"'], ['k', 'v']]);
    assert.deepEqual(final.instructions[0]?.flags, { from: 'build' });
    const shell = final.instructions[5];
    assert.deepEqual(shell?.kind === 'SHELL' && shell.shell, ['/bin/sh', '-ec']);
  });

  it('honours the escape directive', () => {
    const file = parseDockerfile('# escape=`\nFROM scratch\nCOPY a `\n  b /\n');
    assert.equal(file.escape, '`');
    const copy = file.stages[0]?.instructions[0];
    assert.deepEqual(copy?.kind === 'COPY' && copy.args, ['a', 'b', '/']);
    // A directive after the first instruction is only a comment.
    assert.equal(parseDockerfile('FROM scratch\n# escape=`\nENV A=1 \\\n B=2').escape, '\\');
  });

  const errors: Array<[string, string, RegExp]> = [
    ['no FROM', 'ARG X=1\n', /has no FROM/],
    ['instruction before FROM', 'RUN true\nFROM a', /line 1: RUN before the first FROM/],
    ['unknown instruction', 'FROM a\nFOO bar', /line 2: unknown instruction: FOO/],
    ['ARG without a name', 'FROM a\nARG =1', /line 2: ARG names can not be blank/],
    ['ARG without arguments', 'FROM a\nARG', /line 2: ARG requires at least one argument/],
    ['unknown COPY flag', 'FROM a\nCOPY --link a b', /line 2: unknown flag: link/],
    ['ADD --from', 'FROM a\nADD --from=x a b', /unknown flag: from/],
    ['flag without value', 'FROM a\nCOPY --chown a b', /--chown needs a value/],
    ['RUN --mount', 'FROM a\nRUN --mount=type=cache,target=/x true', /RUN --mount is not supported/],
    ['heredoc', 'FROM a\nRUN <<EOF\necho\nEOF', /heredocs are not supported/],
    ['COPY with one argument', 'FROM a\nCOPY onlyone', /at least two arguments/],
    ['FROM with two arguments', 'FROM a b', /one or three arguments/],
    ['bad stage name', 'FROM a AS 1x', /invalid name for build stage/],
    ['duplicate stage', 'FROM a AS x\nFROM b AS X', /duplicate stage name "x"/],
    ['ENV pair without =', 'FROM a\nENV A=1 B', /can't find = in "B"/],
    ['ENV without value', 'FROM a\nENV A', /ENV A needs a value/],
    ['SHELL in shell form', 'FROM a\nSHELL /bin/bash -c', /SHELL requires the arguments to be in JSON form/],
    ['ONBUILD', 'FROM a\nONBUILD RUN x', /ONBUILD is not supported/],
    ['empty WORKDIR', 'FROM a\nWORKDIR', /WORKDIR requires at least one argument/],
    ['bad escape directive', '# escape=x\nFROM a', /invalid escape token/],
    ['unterminated quote', 'FROM a\nENV A="x', /unterminated quote/],
  ];
  for (const [name, text, want] of errors) {
    it(`rejects: ${name}`, () => assert.throws(() => parseDockerfile(text), want));
  }
});
