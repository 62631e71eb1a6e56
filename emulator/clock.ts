/**
 * Emulated time: a source clock (Date.now, or one a test injects) scaled by a time-scale factor from the moment the
 * emulator starts, so devices that take minutes finish in seconds of real time. SigV4 checks keep using real time.
 */
export class EmulatedClock {
  readonly #source: () => number;
  readonly #scale: number;
  readonly #origin: number;

  constructor(source: () => number = Date.now, scale = 1) {
    if (!(Number.isFinite(scale) && scale > 0))
      throw new Error(`emulator: timeScale must be a number > 0, got ${scale}`);
    this.#source = source;
    this.#scale = scale;
    this.#origin = source();
  }

  /** Emulated epoch milliseconds: origin + (source − origin) × scale. */
  now(): number {
    return this.#origin + (this.#source() - this.#origin) * this.#scale;
  }
}
