// Coalesces display updates (`update_display_data`) per display id: at most one per interval for each id, the
// latest state winning, and whatever is pending sent when the cell ends. A training loop calling
// `handle.update(fig.extend(step, loss))` 10^5 times then sends a few messages per second instead of 10^5 (the
// front end could not draw them, and the messages would pile up in the notebook server and the browser).
//
// Updates arrive as render functions (lib/display builds the mime bundle only when the update goes out), so a
// coalesced update costs nothing but the call. The interval is $GRADLAB_DISPLAY_UPDATE_MS (default 100; 0 sends
// every update).

export type Bundle = Record<string, unknown>;
export type Render = () => Bundle | PromiseLike<Bundle>;

export const DEFAULT_UPDATE_INTERVAL_MS = 100;

export function updateIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRADLAB_DISPLAY_UPDATE_MS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_UPDATE_INTERVAL_MS;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_UPDATE_INTERVAL_MS;
}

interface Pending {
  render: Render;
  metadata?: Record<string, unknown>;
}

export interface ThrottleStats {
  offered: number;
  sent: number;
}

export class UpdateThrottle {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  /** Per id, the sequence number of the newest update sent: an older asynchronous render arriving late is dropped. */
  private readonly seq = new Map<string, number>();
  /** Per id, what the last update cost (render + send, ms): a heavy bundle is sent less often (see due()). */
  private readonly cost = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  readonly stats: ThrottleStats = { offered: 0, sent: 0 };

  constructor(
    private readonly send: (bundle: Bundle, displayId: string, metadata?: Record<string, unknown>) => void,
    private readonly onError: (e: unknown) => void,
    readonly intervalMs: number = updateIntervalFromEnv(),
    private readonly now: () => number = Date.now,
  ) {}

  /** An update of `displayId`: goes out now if the last one is old enough, else replaces the pending one. */
  update(displayId: string, render: Render, metadata?: Record<string, unknown>): void {
    this.stats.offered += 1;
    const t = this.now();
    if (this.due(displayId, t)) {
      this.pending.delete(displayId);
      this.emit(displayId, { render, metadata }, t);
    } else {
      this.pending.set(displayId, { render, metadata });
      this.schedule();
    }
    // Inside a synchronous loop timers never fire: other ids' pending updates that are due go out here.
    if (this.pending.size > 0) this.flushDue(t);
  }

  /** Sends the pending update of `displayId` (before a new display_data with that id), or of every id. */
  flush(displayId?: string): void {
    const t = this.now();
    for (const [id, p] of [...this.pending]) {
      if (displayId !== undefined && id !== displayId) continue;
      this.pending.delete(id);
      this.emit(id, p, t);
    }
    if (this.pending.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** The end of a cell: everything pending goes out, and the next cell's first update of an id goes out at once. */
  endCell(): void {
    this.flush();
    this.lastSent.clear();
    this.cost.clear();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private flushDue(t: number): void {
    for (const [id, p] of [...this.pending]) {
      if (!this.due(id, t)) continue;
      this.pending.delete(id);
      this.emit(id, p, t);
    }
  }

  /**
   * Whether an update of `id` may go out at `t`: the interval has passed since the last one, and so has 4x what
   * that one cost, so that building and sending bundles takes at most ~20% of a loop's time.
   */
  private due(id: string, t: number): boolean {
    const last = this.lastSent.get(id);
    if (last === undefined) return true;
    return t - last >= Math.max(this.intervalMs, 4 * (this.cost.get(id) ?? 0));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushDue(this.now());
      if (this.pending.size > 0) this.schedule();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private emit(id: string, p: Pending, t: number): void {
    this.lastSent.set(id, t);
    const t0 = Date.now();
    const n = (this.seq.get(id) ?? 0) + 1;
    this.seq.set(id, n);
    let b: Bundle | PromiseLike<Bundle>;
    try {
      b = p.render();
    } catch (e) {
      this.onError(e);
      return;
    }
    if (b && typeof (b as PromiseLike<Bundle>).then === "function") {
      (b as PromiseLike<Bundle>).then(
        (bundle) => {
          if (this.seq.get(id) !== n) return; // a newer update already went out
          this.stats.sent += 1;
          this.send(bundle, id, p.metadata);
        },
        (e) => this.onError(e),
      );
      return;
    }
    this.stats.sent += 1;
    this.send(b as Bundle, id, p.metadata);
    this.cost.set(id, Date.now() - t0);
  }
}
