import type { ListrTask } from 'listr2';
import type { LocalStack } from '../stack/boot.js';
import type { Processing } from '../stack/processing.js';
import { defaultSeed } from '../../sandbox/card91/seed-data.js';
import { cardControlPhase, coreBankingPhase, courierPhase, entityPrefix, type IssuedKit } from './dataset.js';
import { DEMO_FAULTS, describeFaults } from './faults.js';
import { issuedKits } from './issued-kits.js';

export interface DemoSettings {
  customers: number;
  tenants: readonly string[];
  /** Switch the DCMS sandbox's faults on for the demo. */
  faults: boolean;
}

export interface DemoState {
  /** A kit the demo issued, for the "try this" hints. */
  exampleKit?: IssuedKit;
}

/**
 * The demo as two progress tasks. Phase 2 starts after phase 1 has drained: courier events must
 * name kits DCMS really issued, read back from the kit ledger. DCMS faults (local sandbox only)
 * are on while the demo runs and off afterwards, so what an operator tries next behaves plainly.
 */
export function demoTasks(stack: LocalStack, processing: Processing, settings: DemoSettings, state: DemoState): ListrTask[] {
  const options = { customers: settings.customers, tenants: settings.tenants, runId: Date.now().toString(36) };
  const sandbox = stack.dcms.sandbox;
  const cardControlNote = stack.card91.sandbox ? 'card controls' : 'no card controls (CARD91_BASE_URL is not the sandbox)';
  const faultNote = !settings.faults ? 'no DCMS faults' : sandbox ? `DCMS faults: ${describeFaults(DEMO_FAULTS)}` : 'no DCMS faults: DCMS_BASE_URL is not the sandbox';
  return [
    processing.task(`Demo 1/2, customers and accounts (${faultNote})`, async () => {
      if (settings.faults) sandbox?.setFaults(DEMO_FAULTS);
      return { lines: coreBankingPhase(options) };
    }),
    processing.task(`Demo 2/2, courier streams for the issued kits, early accounts, ${cardControlNote}`, async () => {
      const kits = await issuedKits(stack.dynamo, stack.resources.tables.integrationState, entityPrefix(options.runId));
      if (kits[0]) state.exampleKit = kits[0];
      // Card controls name the Card91 sandbox's own cardholders: another Card91 has other ones.
      const controls = stack.card91.sandbox ? cardControlPhase(settings.tenants[0]!, defaultSeed()) : [];
      return { lines: [...courierPhase(options, kits), ...controls] };
    }),
    {
      title: 'Demo done: DCMS faults off',
      enabled: () => settings.faults && sandbox !== undefined,
      task: async () => sandbox?.setFaults({}),
    },
  ];
}
