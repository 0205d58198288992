// Prints the README's configuration table from the worker's settings table (src/config/worker-settings.ts), so the two cannot drift
// (test/unit/docs/readme-config.test.ts checks the README holds every setting).
//   npx tsx scripts/docs/config-table.ts
import { WORKER_DEAD_LETTER_SETTINGS, WORKER_SETTINGS } from '../../src/config/worker-settings';

const escape = (text: string) => text.replace(/\|/g, '\\|');
process.stdout.write('| Variable | Default | Meaning |\n| --- | --- | --- |\n');
for (const setting of [...WORKER_SETTINGS, ...WORKER_DEAD_LETTER_SETTINGS]) {
  process.stdout.write(
    `| \`${setting.name}\` | ${escape(setting.defaultText)} | ${escape(setting.description)} |\n`,
  );
}
