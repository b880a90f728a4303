import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ProductLine } from '../../api/types.ts';

export function useProductLines() {
  return useQuery({
    queryKey: ['product-lines'],
    queryFn: () => api.get<ProductLine[]>('/product-lines'),
  });
}
