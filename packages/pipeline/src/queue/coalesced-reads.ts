interface Ask<Q, A> {
  question: Q;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
}

/**
 * Asks made close together answered by one read: the asks made in one turn of the event loop, or
 * while the previous read is in flight, go to `read` together (at most `maxGroup` at a time), and
 * each ask gets the answer `read` gives for it. One read is in flight at a time. When `read`
 * throws, every ask of that group gets the error.
 */
export class CoalescedReads<Q, A> {
  readonly #read: (questions: Q[]) => Promise<A[]>;
  readonly #maxGroup: number;
  #asks: Ask<Q, A>[] = [];
  #busy = false;

  constructor(read: (questions: Q[]) => Promise<A[]>, maxGroup: number) {
    this.#read = read;
    this.#maxGroup = maxGroup;
  }

  ask(question: Q): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.#asks.push({ question, resolve, reject });
      if (this.#asks.length === 1 && !this.#busy) setImmediate(() => void this.#next());
    });
  }

  async #next(): Promise<void> {
    if (this.#busy) return;
    const group = this.#asks.splice(0, this.#maxGroup);
    if (group.length === 0) return;
    this.#busy = true;
    try {
      const answers = await this.#read(group.map((a) => a.question));
      group.forEach((a, i) => a.resolve(answers[i]!));
    } catch (e) {
      for (const a of group) a.reject(e);
    } finally {
      this.#busy = false;
      if (this.#asks.length > 0) setImmediate(() => void this.#next());
    }
  }
}
