import { ModelLoadError } from '../core';

/** The inputs a BERT-family sequence classifier may take; token_type_ids only when the graph has it. */
export const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;
export const OPTIONAL_INPUTS = ['token_type_ids'] as const;
export type IdTensorType = 'int64' | 'int32';

/** What the session worker reports about the loaded graph. */
export interface GraphDescription {
  inputNames: string[];
  /** Element type of each input, by name ('int64' for every optimum export). */
  inputTypes: Record<string, string>;
  outputNames: string[];
  /** The output holding [batch, labels] scores. */
  logitsName: string;
}

/**
 * Checks the graph has the I/O of an optimum sequence-classification export and says which id
 * type to feed. Errors name what was found, never any data.
 */
export function checkGraph(
  graph: GraphDescription,
  modelFile: string,
): { idType: IdTensorType; tokenTypeIds: boolean } {
  const known = new Set<string>([...REQUIRED_INPUTS, ...OPTIONAL_INPUTS]);
  const unexpected = graph.inputNames.filter((name) => !known.has(name));
  const missing = REQUIRED_INPUTS.filter((name) => !graph.inputNames.includes(name));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new ModelLoadError(
      'MODEL_GRAPH_UNEXPECTED',
      `${modelFile} has inputs [${graph.inputNames.join(', ')}]; expected input_ids, attention_mask and optionally token_type_ids` +
        (unexpected.length > 0 ? ` (unexpected: ${unexpected.join(', ')})` : '') +
        (missing.length > 0 ? ` (missing: ${missing.join(', ')})` : ''),
    );
  }
  const types = new Set(graph.inputNames.map((name) => graph.inputTypes[name]));
  const [idType] = [...types];
  if (types.size !== 1 || (idType !== 'int64' && idType !== 'int32')) {
    throw new ModelLoadError(
      'MODEL_GRAPH_UNEXPECTED',
      `${modelFile} inputs must all be int64 or all int32, found ${graph.inputNames.map((n) => `${n}: ${graph.inputTypes[n]}`).join(', ')}`,
    );
  }
  return { idType, tokenTypeIds: graph.inputNames.includes('token_type_ids') };
}

/** `logits` when the graph has it, else its only output. */
export function pickLogitsOutput(outputNames: readonly string[], modelFile: string): string {
  if (outputNames.includes('logits')) return 'logits';
  if (outputNames.length === 1) return outputNames[0];
  throw new ModelLoadError(
    'MODEL_GRAPH_UNEXPECTED',
    `${modelFile} has outputs [${outputNames.join(', ')}]; expected one named logits`,
  );
}
