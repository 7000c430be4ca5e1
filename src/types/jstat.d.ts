/** The part of jStat (the `jstat` package, which ships no types) the report's statistics use. */
declare module 'jstat' {
  export const jStat: {
    studentt: {
      /** Quantile of Student's t distribution with `dof` degrees of freedom at probability `p`. */
      inv(p: number, dof: number): number;
    };
  };
}
