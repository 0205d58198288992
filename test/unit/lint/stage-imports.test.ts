import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The dependency rule is enforced by eslint (eslint.config.mjs), not only by the cycle check: these
// cases lint snippets as if they lived in src/, so the rule itself is what is tested. ESLint runs in
// a child process because jest's VM cannot load the ESM config file.
const root = path.resolve(__dirname, '..', '..', '..');

function problems(file: string, code: string): string[] {
  const output = execFileSync(
    path.join(root, 'node_modules', '.bin', 'eslint'),
    ['--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return readProblems(output);
}

function readProblems(json: string): string[] {
  const [result] = JSON.parse(json) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// eslint exits 1 when it finds problems; its JSON report is still on stdout.
function lint(file: string, code: string): string[] {
  try {
    return problems(file, code);
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    return readProblems(stdout);
  }
}

describe('stage import rule', () => {
  it('rejects a stage importing another stage', () => {
    const found = lint(
      'src/codec/probe.ts',
      "import { toEnvelope } from '../ingest/to-envelope';\nvoid toEnvelope;\n",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('src/codec may import only core, config, telemetry, kafka, http');
  });

  it('rejects a stage importing the composition or the cli', () => {
    expect(lint('src/dlq/probe.ts', "import '../pipeline/chunk-output';\n")).toHaveLength(1);
    expect(lint('src/inference/evaluation/probe.ts', "import '../../cli/dlq';\n")).toHaveLength(1);
  });

  it('rejects core importing anything internal and config importing a stage', () => {
    expect(lint('src/core/probe.ts', "import '../config/defaults';\n")).toHaveLength(1);
    expect(lint('src/config/probe.ts', "import '../inference/model-files';\n")).toHaveLength(1);
  });

  it('allows core, config and telemetry, own files and packages', () => {
    const code = [
      "import '../core';",
      "import '../config/defaults';",
      "import '../telemetry/metrics';",
      "import '../kafka/ensure-topic';",
      "import './tweet-mapping';",
      "import '@opentelemetry/core';",
      "import 'kafkajs';",
      '',
    ].join('\n');
    expect(lint('src/codec/probe.ts', code)).toEqual([]);
    // A core file whose name is also a stage's is still core.
    expect(lint('src/egress/probe.ts', "import '../core/codec';\n")).toEqual([]);
  });

  it('lets the pipeline compose every stage', () => {
    expect(lint('src/pipeline/probe.ts', "import '../ingest/to-envelope';\nimport '../codec';\n")).toEqual(
      [],
    );
  });
});
