import { Command } from 'commander';
import { registerServerCommand } from './server-command.ts';
import { registerSimNodesCommand } from './sim-nodes-command.ts';

const program = new Command();
program.name('minato').description('Minato: an open-source enterprise container platform (Kubernetes clusters on demand).').version('0.1.0');
registerServerCommand(program);
registerSimNodesCommand(program);
await program.parseAsync(process.argv);
