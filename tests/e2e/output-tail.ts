/** The last lines a child process wrote, kept for error messages when it fails to start or misbehaves. */
export class OutputTail {
  private lines: string[] = [];

  constructor(private readonly maxLines = 40) {}

  /** Adds a chunk of output, split into lines. */
  push(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > this.maxLines) {
      this.lines = this.lines.slice(-this.maxLines);
    }
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
