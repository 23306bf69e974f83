import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { parseBuildArgs, registerImageBuildCommand } from './image-build-command.ts';

describe('minato image build (CLI)', () => {
  it('parses --build-arg NAME=value and NAME (taken from the environment, skipped when unset)', () => {
    assert.deepEqual(parseBuildArgs(['A=1', 'B=x=y', 'C=', 'FROM_ENV', 'NOT_SET'], { FROM_ENV: 'e' }), { A: '1', B: 'x=y', C: '', FROM_ENV: 'e' });
    assert.throws(() => parseBuildArgs(['=1']), /expected NAME=value/);
  });

  it('documents every option in --help', () => {
    const image = new Command('image');
    registerImageBuildCommand(image, ['--data-dir <dir>', 'the data dir', '.minato']);
    const build = image.commands.find((c) => c.name() === 'build');
    assert.ok(build);
    const help = build.helpInformation();
    for (const opt of ['--tag', '--file', '--build-arg', '--target', '--no-cache', '--quiet', '--output', '--data-dir']) assert.match(help, new RegExp(opt));
    assert.match(help, /\.dockerignore/);
  });
});
