import { InvalidBatchError, type Batch } from './port';

/**
 * Validates a batch and serialises its documents, so adapters check everything before writing
 * anything. Returns the JSON text of each put, by op index.
 */
export function serialiseBatch(batch: Batch): Map<number, string> {
  for (const move of batch.checkpoints) {
    if (move.to <= move.from) {
      throw new InvalidBatchError(
        `Checkpoint of ${move.projection} must move forward (from ${move.from} to ${move.to})`,
      );
    }
  }
  if (new Set(batch.checkpoints.map((move) => move.projection)).size < batch.checkpoints.length) {
    throw new InvalidBatchError('A batch moves each checkpoint at most once');
  }
  const json = new Map<number, string>();
  batch.ops.forEach((op, at) => {
    if (op.type === 'index' && !Number.isFinite(op.score)) {
      throw new InvalidBatchError(
        `Score of ${op.member} in ${op.index} is not finite: ${op.score}`,
      );
    }
    if (op.type !== 'put') return;
    let text: string | undefined;
    try {
      text = JSON.stringify(op.doc);
    } catch (error) {
      throw new InvalidBatchError(
        `Document ${op.collection}/${op.id} is not JSON: ${(error as Error).message}`,
      );
    }
    if (text === undefined) {
      throw new InvalidBatchError(`Document ${op.collection}/${op.id} is not JSON`);
    }
    json.set(at, text);
  });
  return json;
}
