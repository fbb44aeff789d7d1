// The book workbook (`book status --xlsx`): placeholder replaced below.
import type { BookEvent, BookState } from '../../book/state.js';
import type { BookStore } from '../../book/store.js';
export async function writeBookWorkbook(_file: string, _state: BookState, _events: readonly BookEvent[], _store: BookStore): Promise<void> {
  throw new Error('book workbook: not yet written');
}
