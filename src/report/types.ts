/**
 * What the `reproduce` command hands the report writer: the experiments (each a sweep
 * folder), the verdicts it computed on them, and the run whose weights are pictured.
 */
export type VerdictValue = 'holds' | 'does not hold' | 'inconclusive';

export interface Verdict {
  id: string;
  title: string;
  verdict: VerdictValue;
  tolerance: string;
  figures: Record<string, string | number>;
  explanation: string;
}

export interface ExperimentRef {
  name: string;
  finding: string;
  dir: string; // a sweep folder: summary.csv, runs/<id>/{metrics.csv,run.json,weights.json,config.yaml}
}

export interface ReportInput {
  title: string;
  scale: string;
  experiments: ExperimentRef[];
  verdicts: Verdict[];
  imagesFrom: { experiment: string; runId: string } | null;
  /** The command that wrote the report, for its provenance. */
  command?: string;
}
