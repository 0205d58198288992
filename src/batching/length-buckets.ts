/**
 * Picks which queued items form the next batch when bucketing by cost (e.g. token count): among the
 * queued items sorted by cost, the run of `size` neighbours that contains the OLDEST item (index 0,
 * so nothing starves) and spans the smallest cost range. Padding to the longest item then wastes
 * little. Returns queue indices, ascending.
 */
export function pickSimilarCost(
  costs: readonly number[],
  size: number,
  tokenBudget: number | undefined,
): number[] {
  const order = costs.map((_, index) => index).sort((a, b) => costs[a] - costs[b] || a - b);
  const oldest = order.indexOf(0);
  let k = Math.min(size, order.length);
  let bestStart = Math.max(0, oldest - k + 1);
  const lastStart = Math.min(oldest, order.length - k);
  for (let start = bestStart; start <= lastStart; start += 1) {
    const spread = costs[order[start + k - 1]] - costs[order[start]];
    const bestSpread = costs[order[bestStart + k - 1]] - costs[order[bestStart]];
    if (spread < bestSpread) bestStart = start;
  }
  let from = bestStart;
  // Over the budget: drop the dearest items first, keeping the oldest.
  while (tokenBudget !== undefined && k > 1 && k * costs[order[from + k - 1]] > tokenBudget) {
    if (from + k - 1 === oldest) from += 1;
    k -= 1;
  }
  return order.slice(from, from + k).sort((a, b) => a - b);
}
