/**
 * Paging for the list methods that carry metadata (M4 transactions, M9 card loads): `page` starts
 * at 1 and the answer states `totalPages` (docs/reference/card91.md §1.3).
 */

export interface Page<T> {
  items: readonly T[];
  totalPages: number;
}

/**
 * Yields every item from page 1 to `totalPages`, one request per page, lazily: a consumer that
 * stops early makes no further requests. An empty page also ends the walk, so a platform whose
 * `totalPages` overstates the data (or changes while we read) cannot keep us looping.
 */
export async function* paginate<T>(fetchPage: (page: number) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  for (let page = 1; ; page += 1) {
    const { items, totalPages } = await fetchPage(page);
    yield* items;
    if (items.length === 0 || page >= totalPages) return;
  }
}
