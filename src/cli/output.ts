/** What a command run produces: text for stdout, or issues for stderr, and an exit code. */
export interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}
