import type { IdTensorType } from './graph-contract';

/** A padded batch ready for the session: row-major [batch, sequence] tensors as plain typed arrays. */
export interface TensorBatch {
  batchSize: number;
  sequenceLength: number;
  idType: IdTensorType;
  inputIds: BigInt64Array | Int32Array;
  attentionMask: BigInt64Array | Int32Array;
  /** Present only when the graph takes token_type_ids (all zeros: one sequence per text). */
  tokenTypeIds?: BigInt64Array | Int32Array;
}

export interface PadOptions {
  padId: number;
  idType: IdTensorType;
  tokenTypeIds: boolean;
}

/** Pads to the longest sequence in this batch (never to the model maximum) and builds the masks. */
export function padBatch(sequences: ReadonlyArray<readonly number[]>, options: PadOptions): TensorBatch {
  const batchSize = sequences.length;
  const sequenceLength = sequences.reduce((max, ids) => Math.max(max, ids.length), 0);
  const size = batchSize * sequenceLength;
  const alloc = (): BigInt64Array | Int32Array =>
    options.idType === 'int64' ? new BigInt64Array(size) : new Int32Array(size);
  const inputIds = alloc();
  const attentionMask = alloc();
  const one = options.idType === 'int64' ? 1n : 1;
  sequences.forEach((ids, row) => {
    const offset = row * sequenceLength;
    for (let col = 0; col < sequenceLength; col += 1) {
      const present = col < ids.length;
      const id = present ? ids[col] : options.padId;
      if (options.idType === 'int64') {
        (inputIds as BigInt64Array)[offset + col] = BigInt(id);
        if (present) (attentionMask as BigInt64Array)[offset + col] = one as bigint;
      } else {
        (inputIds as Int32Array)[offset + col] = id;
        if (present) (attentionMask as Int32Array)[offset + col] = one as number;
      }
    }
  });
  return {
    batchSize,
    sequenceLength,
    idType: options.idType,
    inputIds,
    attentionMask,
    ...(options.tokenTypeIds ? { tokenTypeIds: alloc() } : {}),
  };
}
