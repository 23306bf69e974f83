import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyConfigInstruction, commandArgv, runEnvironment, workdirOf, type ArgSources } from './config-steps.ts';
import { parseDockerfile } from './dockerfile-parser.ts';
import { planBuild } from './stage-plan.ts';
import type { StageState } from './stage-state.ts';

function stage(env?: string[]): StageState {
  return {
    index: 0, key: 'k', config: env ? { Env: env } : {}, layers: [], diffIds: [], buildLayers: [], rootfs: '/nonexistent',
    materialized: false, args: new Map(), cmdSet: false,
  };
}

/** Applies every config instruction of the single stage of `text`. */
function run(text: string, buildArgs: Record<string, string> = {}, base?: string[]): { s: StageState; a: ArgSources } {
  const file = parseDockerfile(text);
  const consumed = new Set<string>();
  const plan = planBuild(file, { buildArgs: new Map(Object.entries(buildArgs)), consumed });
  const a: ArgSources = { buildArgs: new Map(Object.entries(buildArgs)), consumed, metaArgs: plan.metaArgs, escape: file.escape };
  const s = stage(base);
  for (const ins of file.stages[file.stages.length - 1]?.instructions ?? []) {
    if (ins.kind === 'WORKDIR') s.config.WorkingDir = workdirOf(ins.value, s, a);
    else applyConfigInstruction(ins, s, a);
  }
  return { s, a };
}

describe('config instructions and variables', () => {
  it('expands ENV, LABEL, WORKDIR, USER, EXPOSE with ENV and ARG values; ENV overrides ARG', () => {
    const { s } = run([
      'FROM scratch',
      'ARG VERSION=1.0 USERNAME=app PORT',
      'ENV APP_HOME=/srv/${USERNAME} VERSION=env-wins',
      'ENV OLD=$APP_HOME APP_HOME=/changed',
      'LABEL version=$VERSION "quoted label"="a b" raw=\\$VERSION',
      'WORKDIR $APP_HOME',
      'WORKDIR sub',
      'USER ${USERNAME}:${GROUP:-staff}',
      'EXPOSE ${PORT:-8080} 53/UDP',
    ].join('\n'), { PORT: '9000' });
    assert.deepEqual(s.config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/changed', 'VERSION=env-wins', 'OLD=/srv/app']);
    assert.deepEqual(s.config.Labels, { version: 'env-wins', 'quoted label': 'a b', raw: '$VERSION' });
    assert.equal(s.config.WorkingDir, '/changed/sub');
    assert.equal(s.config.User, 'app:staff');
    assert.deepEqual(Object.keys(s.config.ExposedPorts ?? {}), ['9000/tcp', '53/udp']);
  });

  it('gives ARGs their value from --build-arg, else the default, else the meta ARG; RUN sees them, the config does not', () => {
    const { s, a } = run([
      'ARG GLOBAL=meta-default',
      'ARG ONLY_META=m',
      'FROM scratch',
      'ARG GLOBAL',
      'ARG FROM_CLI=default',
      'ARG UNSET_ONE',
      'ARG TARGETARCH',
      'ENV FROM_CLI=env-value',
    ].join('\n'), { FROM_CLI: 'cli', UNUSED: 'x', HTTP_PROXY: 'http://proxy:3128' });
    assert.equal(s.args.get('GLOBAL'), 'meta-default');
    assert.equal(s.args.get('FROM_CLI'), 'cli');
    assert.equal(s.args.has('UNSET_ONE'), true);
    assert.equal(s.args.get('UNSET_ONE'), undefined);
    assert.equal(s.args.has('ONLY_META'), false, 'a meta ARG is not in a stage until declared there');
    assert.equal(s.args.get('TARGETARCH'), 'amd64');
    const env = runEnvironment(s, a);
    assert.ok(env.includes('GLOBAL=meta-default'));
    assert.ok(env.includes('FROM_CLI=env-value'), 'ENV wins over ARG');
    assert.ok(!env.includes('FROM_CLI=cli'));
    assert.ok(env.includes('HTTP_PROXY=http://proxy:3128'));
    assert.ok(!env.some((e) => e.startsWith('UNSET_ONE')));
    assert.deepEqual(s.config.Env?.filter((e) => e.startsWith('GLOBAL')), []);
    assert.deepEqual([...a.consumed], ['FROM_CLI']);
  });

  it('uses SHELL for shell-form commands; a new ENTRYPOINT drops only an inherited CMD', () => {
    const inherited = stage();
    inherited.config.Cmd = ['old'];
    const file = parseDockerfile('FROM scratch\nSHELL ["/bin/bash", "-ec"]\nENTRYPOINT run.sh\nCMD ["x"]\nENTRYPOINT ["/e"]');
    const a: ArgSources = { buildArgs: new Map(), consumed: new Set(), metaArgs: new Map(), escape: '\\' };
    const [shell, ep, cmd, ep2] = file.stages[0]?.instructions ?? [];
    assert.ok(shell && ep && cmd && ep2);
    applyConfigInstruction(shell, inherited, a);
    applyConfigInstruction(ep, inherited, a);
    assert.deepEqual(inherited.config.Entrypoint, ['/bin/bash', '-ec', 'run.sh']);
    assert.equal(inherited.config.Cmd, null);
    applyConfigInstruction(cmd, inherited, a);
    applyConfigInstruction(ep2, inherited, a);
    assert.deepEqual(inherited.config.Cmd, ['x']);
    assert.deepEqual(commandArgv({ shell: 'echo $HOME' }, inherited), ['/bin/bash', '-ec', 'echo $HOME']);
  });

  it('rejects bad ports and failed required variables with the line', () => {
    assert.throws(() => run('FROM scratch\nEXPOSE http'), /line 2: invalid port "http"/);
    assert.throws(() => run('FROM scratch\nARG X\nENV Y="${X:?X must be given}"'), /X: X must be given/);
  });
});

describe('planBuild', () => {
  const file = parseDockerfile([
    'ARG BASE=minato.local/busybox:1',
    'FROM ${BASE} AS deps',
    'FROM deps AS build',
    'FROM scratch AS unused',
    'FROM ${BASE}',
    'COPY --from=build /x /x',
  ].join('\n'));

  it('builds only the stages the target needs, resolving FROM with meta ARGs', () => {
    const plan = planBuild(file, { buildArgs: new Map([['BASE', 'other:2']]), consumed: new Set() });
    assert.deepEqual(plan.stages.map((p) => [p.stage.index, p.base]), [
      [0, { kind: 'image', ref: 'other:2' }], [1, { kind: 'stage', index: 0 }], [3, { kind: 'image', ref: 'other:2' }],
    ]);
    assert.equal(plan.steps, 4);
    const target = planBuild(file, { buildArgs: new Map(), target: 'deps', consumed: new Set() });
    assert.deepEqual(target.stages.map((p) => p.stage.index), [0]);
  });

  it('fails for an unknown target and an empty FROM', () => {
    assert.throws(() => planBuild(file, { buildArgs: new Map(), target: 'nope', consumed: new Set() }), /target stage "nope" could not be found/);
    assert.throws(() => planBuild(parseDockerfile('ARG B\nFROM $B'), { buildArgs: new Map(), consumed: new Set() }), /empty image name/);
  });
});
