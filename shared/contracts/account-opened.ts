import * as z from 'zod';
import { cloudEvent } from './envelope.js';
import { accountNumber, addressCategory, cardType, entityId } from './fields.js';

export const ACCOUNT_OPENED = 'bank.account.opened.v1';

export const accountOpenedData = z.object({
  entityId,
  accountNo: accountNumber,
  cardType,
  deliveryAddress: addressCategory,
});

export const accountOpenedEvent = cloudEvent(ACCOUNT_OPENED, accountOpenedData);
export type AccountOpenedData = z.infer<typeof accountOpenedData>;
export type AccountOpenedEvent = z.infer<typeof accountOpenedEvent>;
