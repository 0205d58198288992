import type { Command } from 'commander';
import type { EmotionResult } from '../core';
import { createClassifier } from '../pipeline/batched-classifier';
import { inputFormatOption, textOfLine, type TextLineFormat } from './input-format';
import { chunked, readInputLines, writeStdout } from './input-lines';
import { addInferenceFlags, classifierOptions, type ModelFlags } from './model-flags';

interface ClassifyFlags extends ModelFlags {
  format: TextLineFormat;
}

// Lines read ahead while earlier ones are still being classified (keeps the model busy).
const CHUNK_LINES = 256;

function outputLine(text: string | undefined, result: EmotionResult | Error, lineNumber: number): string {
  if (result instanceof Error)
    return `${JSON.stringify({ line: lineNumber, text: text ?? null, error: result.message })}\n`;
  return `${JSON.stringify({ text, label: result.label, score: result.score, scores: result.scores })}\n`;
}

export function register(program: Command): void {
  addInferenceFlags(
    program
      .command('classify')
      .description(
        'Classify the emotion of each input line. Input: plain text lines, or JSONL objects with a "text" field, from FILE or stdin. ' +
          'Output: one JSON line per input line, {"text","label","score","scores"} (scores = softmax probability of every label), ' +
          'or {"line","text","error"} for a line that cannot be classified (the exit code is then 1).',
      )
      .argument('[file]', 'input file; omit or "-" for stdin')
      .addOption(inputFormatOption()),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  echo "i feel great today" | emotion-stream classify\n' +
        '  echo "i feel great today" | emotion-stream classify --model models/emotion-minilm-l6   # the 6-layer model\n',
    )
    .action(async (file: string | undefined, flags: ClassifyFlags) => {
      const classifier = await createClassifier(classifierOptions(flags));
      let lineNumber = 0;
      let failures = 0;
      try {
        // Keep up to two chunks in flight so reading and writing overlap inference; print in order.
        const inFlight: Array<Promise<string>> = [];
        for await (const lines of chunked(readInputLines(file), CHUNK_LINES)) {
          const first = lineNumber + 1;
          lineNumber += lines.length;
          const texts: Array<string | undefined> = [];
          const parseErrors = new Map<number, Error>();
          lines.forEach((line, i) => {
            try {
              texts.push(textOfLine(line, flags.format, first + i));
            } catch (error) {
              texts.push(undefined);
              parseErrors.set(i, error as Error);
            }
          });
          const valid = texts.filter((text): text is string => text !== undefined);
          inFlight.push(
            classifier.classify(valid).then((results) => {
              let next = 0;
              return texts
                .map((text, i) => {
                  const result = parseErrors.get(i) ?? results[next++];
                  if (result instanceof Error) failures += 1;
                  return outputLine(text, result, first + i);
                })
                .join('');
            }),
          );
          if (inFlight.length >= 2) await writeStdout(await (inFlight.shift() as Promise<string>));
        }
        for (const pending of inFlight) await writeStdout(await pending);
      } finally {
        await classifier.close();
      }
      if (failures > 0) {
        process.stderr.write(`emotion-stream classify: ${failures} of ${lineNumber} lines failed\n`);
        process.exitCode = 1;
      }
    });
}
