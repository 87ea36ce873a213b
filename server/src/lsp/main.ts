/** `northstar-language-server --stdio`: the Northstar language server for any LSP client. */
import { startServer } from './server.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: northstar-language-server --stdio | --node-ipc | --socket=<port>\n');
  process.exit(0);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
  process.argv.push('--stdio');
}
startServer();
