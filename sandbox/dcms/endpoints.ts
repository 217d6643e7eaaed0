/** The DCMS paths the sandbox serves (docs/reference/dcms.md §3). Fault settings may name only these. */
export const DCMS_ENDPOINTS = ['/register', '/registerCard', '/inventory/update/deliveryStatus', '/viewCustomer', '/kit-manager/fetchKitsByEntityId', '/kit-manager/fetchKitsByAccountNo'] as const;

export type DcmsEndpoint = (typeof DCMS_ENDPOINTS)[number];
