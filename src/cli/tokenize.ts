import type { Command } from 'commander';
import { loadModelDirectory } from '../inference';
import { inputFormatOption, textOfLine, type TextLineFormat } from './input-format';
import { chunked, readInputLines, writeStdout } from './input-lines';
import { addModelFlag, resolveModelDir, type ModelFlags } from './model-flags';

interface TokenizeFlags extends ModelFlags {
  format: TextLineFormat;
}

export function register(program: Command): void {
  addModelFlag(
    program
      .command('tokenize')
      .description(
        "Print the token ids the model receives for each input line ([CLS] and [SEP] included, truncated to the model's max length, " +
          'not padded): exactly one {"ids":[...]} line per input line, empty lines included. Uses the model folder\'s tokenizer.json; ' +
          'loads no ONNX session.',
      )
      .argument('[file]', 'input file; omit or "-" for stdin')
      .addOption(inputFormatOption()),
  )
    .addHelpText('after', '\nExample:\n  printf "i feel great\\n\\n" | emotion-stream tokenize\n')
    .action(async (file: string | undefined, flags: TokenizeFlags) => {
      const { tokenizer } = await loadModelDirectory(resolveModelDir(flags), { quantized: flags.quantized });
      let lineNumber = 0;
      let failures = 0;
      for await (const lines of chunked(readInputLines(file), 1024)) {
        const out = lines.map((line) => {
          lineNumber += 1;
          try {
            return `${JSON.stringify({ ids: tokenizer.encode(textOfLine(line, flags.format, lineNumber)) })}\n`;
          } catch (error) {
            failures += 1;
            return `${JSON.stringify({ ids: null, error: (error as Error).message })}\n`;
          }
        });
        await writeStdout(out.join(''));
      }
      if (failures > 0) process.exitCode = 1;
    });
}
