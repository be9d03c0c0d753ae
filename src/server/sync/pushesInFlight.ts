// A device sends its next push before the answer to the one before it (src/sync/syncOnce.ts), so this
// server may start the later one first. Each push is registered here while it is handled; one refused
// as a gap waits for the same device's earlier push (arriving, or in hand), then is tried once more.

type InFlight = { firstMutationId: number; done: Promise<void> };
type DevicePushes = { pushes: Set<InFlight>; arrivals: Set<() => void> };

/** How long a push refused as a gap waits for its device's earlier push to arrive, when none is in hand. */
export const EARLIER_PUSH_ARRIVAL_MS = 500;

export type PushInFlight = {
  /**
   * Waits until the device's pushes with earlier mutation ids are done, first waiting up to
   * `arrivalMs` for one to arrive when none is in hand. True when there were any (the gap may be
   * filled now), false when none came.
   */
  earlierDone(arrivalMs?: number): Promise<boolean>;
  /** The push is answered (applied or not). */
  finish(): void;
};

export class PushesInFlight {
  private readonly byDevice = new Map<string, DevicePushes>();

  start(deviceId: string, firstMutationId: number): PushInFlight {
    let finish = () => {};
    const entry: InFlight = {
      firstMutationId,
      done: new Promise<void>((resolve) => {
        finish = resolve;
      }),
    };
    const device = this.deviceOf(deviceId);
    device.pushes.add(entry);
    for (const arrived of device.arrivals) arrived();
    const earlier = () => [...device.pushes].filter((other) => other.firstMutationId < firstMutationId);
    return {
      earlierDone: async (arrivalMs = EARLIER_PUSH_ARRIVAL_MS) => {
        if (earlier().length === 0 && arrivalMs > 0) {
          await new Promise<void>((resolve) => {
            const stop = () => {
              clearTimeout(timer);
              device.arrivals.delete(check);
              resolve();
            };
            const check = () => {
              if (earlier().length > 0) stop();
            };
            const timer = setTimeout(stop, arrivalMs);
            device.arrivals.add(check);
          });
        }
        const waitFor = earlier();
        await Promise.all(waitFor.map((other) => other.done));
        return waitFor.length > 0;
      },
      finish: () => {
        finish();
        device.pushes.delete(entry);
        this.forgetIfIdle(deviceId, device);
      },
    };
  }

  /** Devices with a push in hand (for tests: nothing is kept once every push is answered). */
  get devices(): number {
    return this.byDevice.size;
  }

  private deviceOf(deviceId: string): DevicePushes {
    let device = this.byDevice.get(deviceId);
    if (!device) {
      device = { pushes: new Set(), arrivals: new Set() };
      this.byDevice.set(deviceId, device);
    }
    return device;
  }

  private forgetIfIdle(deviceId: string, device: DevicePushes): void {
    if (device.pushes.size === 0 && device.arrivals.size === 0 && this.byDevice.get(deviceId) === device) {
      this.byDevice.delete(deviceId);
    }
  }
}
