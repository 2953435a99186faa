// A per-cell budget for stream output (stdout + stderr): past it, text is dropped and counted, with a note where
// the output was cut and one at the end of the cell with what was dropped. A cell printing 100 MB would otherwise
// send it all to the front end (a browser tab freezes on a few tens of MB of output) and into the saved notebook.
//
// The limit is $GRADLAB_OUTPUT_LIMIT_MB (default 5; 0 turns it off), counted in characters (1 MB = 2^20).

export const DEFAULT_OUTPUT_LIMIT_MB = 5;

export function outputLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRADLAB_OUTPUT_LIMIT_MB;
  const mb = raw === undefined || raw.trim() === "" ? DEFAULT_OUTPUT_LIMIT_MB : Number(raw);
  if (!Number.isFinite(mb) || mb < 0) return DEFAULT_OUTPUT_LIMIT_MB * 2 ** 20;
  return mb === 0 ? Infinity : Math.floor(mb * 2 ** 20);
}

function mb(chars: number): string {
  const v = chars / 2 ** 20;
  return v >= 10 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(1) : v.toFixed(2);
}

export class OutputLimit {
  private used = 0;
  private dropped = 0;

  constructor(readonly limit: number = outputLimitFromEnv()) {}

  /** A new cell: a fresh budget. */
  startCell(): void {
    this.used = 0;
    this.dropped = 0;
  }

  /** The part of `text` that may go out ("" once the budget is spent); the cut carries a note. */
  admit(text: string): string {
    if (this.dropped > 0) {
      this.dropped += text.length;
      return "";
    }
    const room = this.limit - this.used;
    if (text.length <= room) {
      this.used += text.length;
      return text;
    }
    this.used = this.limit;
    this.dropped = text.length - room;
    return (
      text.slice(0, room) +
      `\n[gradlab] output truncated: this cell printed more than ${mb(this.limit)} MB; the rest is not shown (GRADLAB_OUTPUT_LIMIT_MB)\n`
    );
  }

  /**
   * At the end of a cell: the note on what was dropped, or null. The budget stays spent until the next cell
   * (output of the cell's callbacks after it ended counts towards it).
   */
  endCell(): string | null {
    const dropped = this.dropped;
    if (dropped === 0) return null;
    return `[gradlab] output truncated: ${mb(dropped)} MB more not shown (limit ${mb(this.limit)} MB per cell, GRADLAB_OUTPUT_LIMIT_MB)\n`;
  }

  /** Characters dropped so far in this cell. */
  get droppedChars(): number {
    return this.dropped;
  }
}
