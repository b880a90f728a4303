import { fanOutAlert, fanOutMessage } from '../../app/notify/fan-out.ts';
import { sendDueDeliveries } from '../../app/notify/send-due-deliveries.ts';
import { transportFromEnv } from '../../app/notify/transport.ts';
import type { AlertChangedEvent } from '../../domain/alerts/alert-event.ts';
import type { NotifyRequest } from '../../domain/notify/notify-request.ts';
import type { EventHandler, WorkerLoop } from '../worker.ts';

/**
 * The notification channels' outbox subscribers only write delivery rows (dated by the event, so
 * they are due at once): fast, inside the database, whatever the receivers are doing.
 */
export const alertChangedToChannels: EventHandler = async (event, db) => {
  await fanOutAlert(db, JSON.parse(event.payload) as AlertChangedEvent, new Date(event.created_at));
};

export const notifyMessageToChannels: EventHandler = async (event, db) => {
  await fanOutMessage(db, JSON.parse(event.payload) as NotifyRequest, new Date(event.created_at));
};

/** The sender: passes over due deliveries until none is left, beside the worker's tick. */
export const notifySenderLoop: WorkerLoop = {
  name: 'notify.send',
  async run({ db, dialect, owner, now }) {
    const transport = transportFromEnv();
    for (let pass = 0; pass < 50; pass++) {
      const n = await sendDueDeliveries({ db, dialect, owner, now, transport });
      if (n === 0) return;
    }
  },
};
