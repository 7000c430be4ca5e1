/** The schema's keys as the refusal messages list them (update when the schema grows). */
export const MODEL_KEYS =
  'hidden, k, alpha, tied, init, init_std, lifetime_sparsity, lifetime_rate, encoder_activation, decoder_activation, k_schedule';
export const TOP_LEVEL_KEYS = 'name, seed, backend, out, init_from, data, model, train, optimizer, eval, sweep';
