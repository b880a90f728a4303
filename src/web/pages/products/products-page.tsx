import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Input,
  Popconfirm,
  Row,
  Space,
  Table,
  Tree,
  Typography,
  type TreeDataNode,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Paged, Product, ProductLine } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { ImportExportButtons } from '../../components/import-export-buttons.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { formatPercent } from '../../../domain/percent.ts';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { buildTree, type TreeNode } from '../org/org-tree.ts';
import { ProductForm } from './product-form.tsx';
import { ProductLineForm, type LineFormState } from './product-line-form.tsx';
import { useProductLines } from './product-lines.ts';

const ALL = 0;

export default function ProductsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const editable = me.role === 'admin';
  const localName = useLocalName();
  const money = useMoney();
  const lines = useProductLines();
  const [lineId, setLineId] = useState<number>(ALL);
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [lineForm, setLineForm] = useState<LineFormState | null>(null);
  const [productForm, setProductForm] = useState<{
    product: Product | null;
    lineId: number | null;
  } | null>(null);

  const products = useQuery({
    queryKey: ['products', { lineId, q, ...page }],
    queryFn: () =>
      api.get<Paged<Product>>('/products', { q, productLineId: lineId || undefined, ...page }),
    placeholderData: keepPreviousData,
  });
  const selectedLine = lines.data?.find((l) => l.id === lineId) ?? null;

  const removeLine = useSave({
    mutationFn: (l: ProductLine) => api.del(`/product-lines/${l.id}`, { version: l.version }),
    invalidate: ['product-lines', 'products'],
    success: t('common.deleted'),
    onSuccess: () => setLineId(ALL),
  });
  const removeProduct = useSave({
    mutationFn: (p: Product) => api.del(`/products/${p.id}`, { version: p.version }),
    invalidate: ['products', 'product-lines'],
    success: t('common.deleted'),
  });

  const treeData = useMemo(() => {
    const toNode = (n: TreeNode<ProductLine>): TreeDataNode => ({
      key: n.item.id,
      title: (
        <Space size={6}>
          {localName(n.item.nameZh, n.item.nameEn)}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.item.productCount}
          </Typography.Text>
        </Space>
      ),
      children: n.children.map(toNode),
    });
    return [
      {
        key: ALL,
        title: <strong>{t('products.allLines')}</strong>,
        children: buildTree(lines.data ?? []).map(toNode),
      },
    ];
  }, [lines.data, localName, t]);

  const lineActions = editable && (
    <Space size={0}>
      <Button
        type="text"
        size="small"
        icon={<PlusOutlined />}
        title={selectedLine ? t('products.addSubLine') : t('products.addLine')}
        onClick={() => setLineForm({ mode: 'create', parentId: selectedLine?.id ?? null })}
        data-testid="product-line-add"
      />
      {selectedLine && (
        <>
          <Button
            type="text"
            size="small"
            icon={<EditOutlined />}
            title={t('products.editLine')}
            onClick={() => setLineForm({ mode: 'edit', line: selectedLine })}
          />
          <Popconfirm
            title={t('common.confirmDelete', {
              name: localName(selectedLine.nameZh, selectedLine.nameEn),
            })}
            description={t('products.lineDeleteHint')}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => removeLine.mutate(selectedLine)}
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              title={t('common.delete')}
            />
          </Popconfirm>
        </>
      )}
    </Space>
  );

  return (
    <Page
      title={t('products.title')}
      testId="products-page"
      extra={
        <Space>
          <ImportExportButtons
            kind="product-lines"
            invalidate={['product-lines', 'products']}
            canImport={editable}
            named
          />
          <ImportExportButtons
            kind="products"
            invalidate={['products', 'product-lines']}
            canImport={editable}
            named
          />
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} lg={7}>
          <Card size="small" title={t('products.lines')} extra={lineActions}>
            {lines.isPending ? (
              <Loading />
            ) : lines.error ? (
              <LoadError error={lines.error} onRetry={() => void lines.refetch()} />
            ) : (
              <div data-testid="product-line-tree">
                <Tree
                  blockNode
                  defaultExpandAll
                  treeData={treeData}
                  selectedKeys={[lineId]}
                  onSelect={(keys) => {
                    if (keys[0] === undefined) return;
                    setLineId(Number(keys[0]));
                    setPage((p) => ({ ...p, page: 1 }));
                  }}
                />
                {lines.data.length === 0 && <EmptyState description={t('products.noLines')} />}
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={17}>
          <Card
            size="small"
            title={
              <Input.Search
                allowClear
                placeholder={t('common.searchPlaceholder')}
                style={{ maxWidth: 280 }}
                onSearch={(v) => {
                  setQ(v);
                  setPage((p) => ({ ...p, page: 1 }));
                }}
                data-testid="product-search"
              />
            }
            extra={
              editable && (
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() =>
                    setProductForm({ product: null, lineId: selectedLine?.id ?? null })
                  }
                  data-testid="product-add"
                >
                  {t('common.add')}
                </Button>
              )
            }
          >
            {products.error ? (
              <LoadError error={products.error} onRetry={() => void products.refetch()} />
            ) : (
              <Table<Product>
                rowKey="id"
                data-testid="products-table"
                loading={products.isFetching}
                dataSource={products.data?.items ?? []}
                locale={{ emptyText: <EmptyState description={t('products.empty')} /> }}
                pagination={{
                  ...page,
                  current: page.page,
                  total: products.data?.total ?? 0,
                  showSizeChanger: true,
                  showTotal: (total) => t('common.total', { total }),
                  onChange: (p, pageSize) => setPage({ page: p, pageSize }),
                }}
                columns={[
                  { title: t('common.code'), dataIndex: 'code', width: 120 },
                  {
                    title: t('common.name'),
                    key: 'name',
                    render: (_, p) => localName(p.nameZh, p.nameEn),
                  },
                  {
                    title: t('products.productLine'),
                    key: 'line',
                    render: (_, p) => localName(p.productLineNameZh, p.productLineNameEn),
                  },
                  {
                    title: t('products.grossMargin'),
                    dataIndex: 'grossMarginBp',
                    align: 'right',
                    width: 110,
                    render: (bp: number) => formatPercent(bp),
                  },
                  {
                    title: t('products.listPrice'),
                    dataIndex: 'listPrice',
                    align: 'right',
                    width: 160,
                    render: (fen: number | null) => money.formatPrice(fen),
                  },
                  ...(editable
                    ? [
                        {
                          title: t('common.actions'),
                          key: 'actions',
                          width: 150,
                          render: (_: unknown, p: Product) => (
                            <Space size={0}>
                              <Button
                                type="link"
                                size="small"
                                onClick={() => setProductForm({ product: p, lineId: null })}
                              >
                                {t('common.edit')}
                              </Button>
                              <Popconfirm
                                title={t('common.confirmDelete', {
                                  name: localName(p.nameZh, p.nameEn),
                                })}
                                okText={t('common.delete')}
                                cancelText={t('common.cancel')}
                                okButtonProps={{ danger: true }}
                                onConfirm={() => removeProduct.mutate(p)}
                              >
                                <Button type="link" size="small" danger>
                                  {t('common.delete')}
                                </Button>
                              </Popconfirm>
                            </Space>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
      <ProductLineForm state={lineForm} onClose={() => setLineForm(null)} />
      <ProductForm state={productForm} onClose={() => setProductForm(null)} />
    </Page>
  );
}
