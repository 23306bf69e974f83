import { Command } from 'commander';
import { registerAgentCommand } from './agent-command.ts';
import { registerServerCommand } from './server-command.ts';
import { registerSimNodesCommand } from './sim-nodes-command.ts';

const program = new Command();
program.name('minato').description('Minato: an open-source enterprise container platform (Kubernetes clusters on demand).').version('0.1.0');
registerServerCommand(program);
registerSimNodesCommand(program);
registerAgentCommand(program);
await program.parseAsync(process.argv);
