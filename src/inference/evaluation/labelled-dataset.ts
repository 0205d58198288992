import { readFile } from 'node:fs/promises';
import { EmotionStreamError } from '../../core';

/** One example of a labelled file. */
export interface LabelledExample {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  label: string;
}

/**
 * Parses the dair-ai/emotion text format: an optional header line `text;label_name`, then
 * `text;label` per line. The label follows the LAST semicolon (texts may contain one); labels may
 * be names or numeric ids (mapped through `labels` when given). Blank lines are skipped.
 */
export function parseLabelledText(
  content: string,
  source: string,
  labels?: readonly string[],
): LabelledExample[] {
  const examples: LabelledExample[] = [];
  content.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (index === 0 && /^text;label(_name)?$/i.test(line.trim())) return;
    const cut = line.lastIndexOf(';');
    if (cut < 0) {
      throw new EmotionStreamError(`${source}:${index + 1}: expected "text;label", found no ";"`, {
        code: 'DATASET_INVALID',
        stage: 'validate',
        retriable: false,
      });
    }
    let label = line.slice(cut + 1).trim();
    if (labels && /^\d+$/.test(label) && Number(label) < labels.length) label = labels[Number(label)];
    examples.push({ line: index + 1, text: line.slice(0, cut), label });
  });
  return examples;
}

export async function readLabelledFile(file: string, labels?: readonly string[]): Promise<LabelledExample[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new EmotionStreamError(`cannot read ${file}: ${(error as Error).message}`, {
      code: 'DATASET_UNREADABLE',
      stage: 'validate',
      retriable: false,
      cause: error,
    });
  }
  return parseLabelledText(content, file, labels);
}
