/**
 * The training k of each epoch under model.k_schedule (Makhzani & Frey 2013, "scheduling of
 * the sparsity level"; src/config/schema.ts says why): without a schedule, model.k; with
 * one, for epoch e (1-based)
 *   k_e = round(from - (from - k) (e - 1) / epochs)   for e <= epochs,   k_e = k after,
 * so epoch 1 trains at `from` and epoch epochs + 1 at k. Only training reads it: the model
 * takes k from the ModelConfig it is given, and evaluation keeps the config's own k.
 */
import type { Config } from '../config/schema';

export function trainingK(model: Config['model'], epoch: number): number {
  const { from, epochs } = model.k_schedule;
  if (from === null || epoch > epochs) return model.k;
  return Math.round(from - ((from - model.k) * (epoch - 1)) / epochs);
}

/** The config that epoch `epoch` trains with: model.k replaced by the epoch's training k. */
export function epochConfig(config: Config, epoch: number): Config {
  const k = trainingK(config.model, epoch);
  return k === config.model.k ? config : { ...config, model: { ...config.model, k } };
}
