import { describe, expect, it } from 'vitest';
import { foldText, slugify } from './text-fold.ts';

describe('text folding shared by search and slugs', () => {
  it('folds case and diacritics in en, vi and pl, including đ and ł that do not decompose', () => {
    expect(foldText('Chất lượng ĐỔI TRẢ Łódź')).toBe('chat luong doi tra lodz');
  });

  it('makes the same slug the server stores and the agent app suggests', () => {
    expect(slugify('Chính sách đổi trả')).toBe('chinh-sach-doi-tra');
    expect(slugify('  Zwrot – gwarancja!! ')).toBe('zwrot-gwarancja');
    expect(slugify('x'.repeat(79) + ' yz')).toBe('x'.repeat(79));
    expect(slugify('¿¡?')).toBe('');
  });
});
