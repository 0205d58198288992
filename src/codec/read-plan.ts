import avro from 'avsc';
import { PoisonMessageError } from '../core';
import { compileClaimCheck, type ClaimCheck } from './claim-check';
import { Utf8Checker } from './utf8-check';

/**
 * How to read payloads of one writer schema: the reader type, the resolver from the writer (absent when
 * both schemas are the same), the claim check that bounds avsc's work (see claim-check.ts) and, built on
 * first need, the strict UTF-8 checker. One plan per writer
 * schema, cached by the codec: building resolvers is far slower than decoding.
 */
export class ReadPlan {
  private utf8Checker: Utf8Checker | undefined;
  readonly claimCheck: ClaimCheck;

  constructor(
    readonly readerType: avro.Type,
    readonly writerType: avro.Type,
    readonly resolver: avro.Resolver | undefined,
  ) {
    this.claimCheck = compileClaimCheck(writerType);
  }

  utf8(): Utf8Checker {
    this.utf8Checker ??= new Utf8Checker(this.writerType);
    return this.utf8Checker;
  }
}

/**
 * Tries each reader in turn against the writer schema; the first that resolves wins. The decoder passes
 * the strict reader first and then a lenient twin (text optional), so a writer without `text`, or with a
 * nullable `text`, still decodes and each such record is rejected as MISSING_TEXT rather than the whole
 * schema as WRONG_SCHEMA.
 */
export function planFor(readers: readonly avro.Type[], writerType: avro.Type, writerName: string): ReadPlan {
  const reasons: string[] = [];
  for (const readerType of readers) {
    if (readerType.equals(writerType)) return new ReadPlan(readerType, writerType, undefined);
    try {
      return new ReadPlan(readerType, writerType, readerType.createResolver(writerType));
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  throw new PoisonMessageError(
    'WRONG_SCHEMA',
    `writer schema ${writerName} cannot be read as ${readers[0].name ?? 'the reader schema'}: ${reasons[0]}`,
  );
}
