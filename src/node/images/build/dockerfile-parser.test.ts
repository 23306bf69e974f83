import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandArgv, parseDockerfile, splitWords } from './dockerfile-parser.ts';

describe('parseDockerfile', () => {
  it('parses every supported instruction, continuations and comments', () => {
    const text = [
      '# syntax comment',
      'from minato.local/busybox:1',
      'COPY hello.txt /hello.txt',
      'ADD ["a b.tar", "/opt/"]',
      'RUN echo built > /built.txt && \\',
      '  # a comment inside a continuation',
      '  rm /x || true',
      'RUN ["/bin/sh", "-c", "true"]',
      'ENV A=b C="d e"',
      'ENV LEGACY some value',
      'WORKDIR /app',
      'USER 1000:1000',
      'EXPOSE 80 53/udp',
      'ENTRYPOINT ["/bin/app"]',
      'CMD echo hi',
      '',
    ].join('\n');
    const ins = parseDockerfile(text);
    assert.deepEqual(ins.map((i) => i.kind), ['FROM', 'COPY', 'ADD', 'RUN', 'RUN', 'ENV', 'ENV', 'WORKDIR', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD']);
    assert.deepEqual(ins[0], { kind: 'FROM', image: 'minato.local/busybox:1', line: 2 });
    assert.deepEqual(ins[1], { kind: 'COPY', sources: ['hello.txt'], dest: '/hello.txt', line: 3 });
    assert.deepEqual(ins[2], { kind: 'ADD', sources: ['a b.tar'], dest: '/opt/', line: 4 });
    assert.deepEqual(ins[3], { kind: 'RUN', command: { shell: 'echo built > /built.txt &&  rm /x || true' }, line: 5 });
    assert.deepEqual(ins[4], { kind: 'RUN', command: { exec: ['/bin/sh', '-c', 'true'] }, line: 8 });
    assert.deepEqual(ins[5], { kind: 'ENV', vars: [['A', 'b'], ['C', 'd e']], line: 9 });
    assert.deepEqual(ins[6], { kind: 'ENV', vars: [['LEGACY', 'some value']], line: 10 });
    assert.deepEqual(ins[9], { kind: 'EXPOSE', ports: ['80/tcp', '53/udp'], line: 13 });
    const cmd = ins[11];
    assert.ok(cmd?.kind === 'CMD');
    assert.deepEqual(commandArgv(cmd.command), ['/bin/sh', '-c', 'echo hi']);
  });

  it('rejects what it does not support, with the line', () => {
    assert.throws(() => parseDockerfile('RUN true'), /must start with FROM/);
    assert.throws(() => parseDockerfile('FROM a\nARG X=1'), /line 2: unsupported instruction ARG/);
    assert.throws(() => parseDockerfile('FROM a\nCOPY --from=b /x /y'), /flags are not supported/);
    assert.throws(() => parseDockerfile('FROM a\nFROM b'), /multi-stage/);
    assert.throws(() => parseDockerfile('FROM a\nCOPY onlyone'), /source and a destination/);
  });

  it('splits words with quotes and escapes', () => {
    assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g ""`), ['a', 'b c', 'd e', 'f g', '']);
    assert.throws(() => splitWords('"open'), /unterminated/);
  });
});
