import { PoisonMessageError } from '../core';
import type { ReadPlan } from './read-plan';
import { containsReplacementChar } from './utf8-check';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
// C0 controls other than tab, LF, CR, and DEL: Avro of any real record has some (null-union indexes,
// map/array terminators, small varints); JSON and prose have none.
// eslint-disable-next-line no-control-regex
const binaryControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The bytes read as printable UTF-8 text (JSON, CSV, prose): a producer that skipped Avro. */
function looksLikeText(bytes: Buffer): boolean {
  try {
    return !binaryControl.test(strictUtf8.decode(bytes));
  } catch {
    return false;
  }
}

/**
 * Decodes exactly one Avro record from `payload`, or throws the poison code that says why not:
 * NOT_AVRO (text, or a structure avsc rejects), TRUNCATED_AVRO (ran out of bytes), TRAILING_BYTES
 * (bytes left over), INVALID_UTF8 (a string field that is not UTF-8), AVRO_CLAIMS_EXCEED_BYTES (an array
 * or map claims more items than the bytes hold). The claim check runs first, so avsc never loops or
 * allocates for more than the payload can hold.
 */
export function decodeExactly(plan: ReadPlan, payload: Buffer): unknown {
  try {
    plan.claimCheck(payload);
  } catch (error) {
    if (looksLikeText(payload)) {
      throw new PoisonMessageError(
        'NOT_AVRO',
        `value of ${payload.length} bytes is plain text (JSON or similar), not Avro`,
      );
    }
    throw error;
  }
  let decoded: { value: unknown; offset: number };
  try {
    decoded = plan.readerType.decode(payload, 0, plan.resolver);
  } catch (error) {
    throw new PoisonMessageError(
      'NOT_AVRO',
      `value of ${payload.length} bytes is not Avro of ${plan.writerType.name}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (decoded.offset !== payload.length) {
    if (looksLikeText(payload)) {
      throw new PoisonMessageError(
        'NOT_AVRO',
        `value of ${payload.length} bytes is plain text (JSON or similar), not Avro`,
      );
    }
    if (decoded.offset < 0) {
      throw new PoisonMessageError(
        'TRUNCATED_AVRO',
        `Avro value of ${payload.length} bytes ends before the ${plan.writerType.name} record does`,
      );
    }
    throw new PoisonMessageError(
      'TRAILING_BYTES',
      `${payload.length - decoded.offset} bytes follow the end of the ${plan.writerType.name} record (${decoded.offset} bytes)`,
    );
  }
  if (containsReplacementChar(decoded.value)) {
    const field = plan.utf8().firstInvalidField(payload);
    if (field !== undefined)
      throw new PoisonMessageError('INVALID_UTF8', `field ${field} is not valid UTF-8`);
  }
  return decoded.value;
}
