import { describe, expect, it } from 'vitest';
import { isJsonContentType } from '../../functions/courier-webhook/request.js';

describe('courier webhook content type', () => {
  it('accepts application/json with no charset or utf-8 only', () => {
    expect(['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"'].map(isJsonContentType)).toEqual([true, true, true]);
    expect([undefined, '', 'text/json', 'application/json-patch+json', 'application/json; charset=latin1'].map(isJsonContentType)).toEqual([false, false, false, false, false]);
  });
});
