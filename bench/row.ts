/** One line of the results table: our figure and the baseline's, measured in the same run. */
export interface Row {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  /** Decimals to print the figures with. */
  digits?: number;
  /** The ratio ours / baseline must reach (or, for a time, stay under): printed beside the ratio. */
  goal?: number;
}
