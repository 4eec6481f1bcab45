/** Prints the README's configuration tables (environment and program defaults) from the schemas. */
import { envTable, programTable } from '../src/config/docs.js';

process.stdout.write(`### Environment\n\n${envTable()}\n\n### Program configuration defaults\n\n${programTable()}\n`);
