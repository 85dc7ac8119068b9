'use strict';
// Every string the console shows, in Simplified Chinese and English; the choice is kept per browser.
const MESSAGES = {
  'zh-CN': {
    title: '权益分发平台 · 运营后台', token: '管理令牌', signIn: '登录', signOut: '退出', otherLanguage: 'English',
    dashboard: '看板', orders: '订单', reviews: '审核队列', cancel: '取消', confirm: '确认',
    badToken: '令牌无效', unavailable: '平台暂时无法应答，请稍后重试',
    ordersPerSecond: '订单/秒（按结果）', refusalsPerSecond: '拒单/秒（按原因）', members: '集群成员',
    todayBySku: '今日按商品', todayByChannel: '今日按渠道', revenue: '销售额', margin: '毛利', units: '件数',
    stock: '库存', lowStock: '低库存告警', noLowStock: '无低库存', projectionLag: '投影延迟',
    reviewQueue: '待审核', suppliers: '供应商熔断', notPermitted: '当前角色无权查看',
    searchByNumber: '按渠道和订单号', channelId: '渠道 ID', clientOrderNo: '订单号', search: '查询',
    searchByIndex: '按状态或商品', status: '状态', skuId: '商品 ID', from: '起', to: '止',
    notFound: '未找到', orderDetail: '订单详情', codes: '卡密（已脱敏）', refund: '退款', refundReason: '退款原因',
    confirmRefund: '确认退款订单 {0}？该操作会退回渠道扣款。', approve: '通过', reject: '拒绝',
    confirmApprove: '确认通过订单 {0}？', confirmReject: '确认拒绝订单 {0}？该操作会退回扣款。',
    emptyQueue: '没有待审核的订单', reason: '原因', openedAt: '进入时间', createdAt: '创建时间',
    amount: '金额', quantity: '数量', done: '已完成', perSecond: '/秒', reachable: '可达', unreachable: '不可达',
    role: '角色', lastMinute: '最近 60 秒', none: '无', orderId: '订单 ID', alerts: '告警', noAlerts: '当前无告警',
    reports: '报表', projections: '投影', tokens: '管理令牌', sales: '销售报表', groupBy: '分组', downloadCsv: '下载 CSV',
    orderCount: '订单数', cost: '成本', ledgerCheck: '对账检查', consistent: '一致', inconsistent: '不一致',
    pause: '暂停', resume: '恢复', rebuild: '重建', paused: '已暂停', running: '运行中', events: '事件数',
    confirmRebuild: '确认重建投影 {0}？将清空其表并从头读取。', confirmPause: '确认暂停投影 {0}？',
    newToken: '新建令牌', tokenOnce: '令牌只显示这一次，请立即保存：', revoke: '吊销', confirmRevoke: '确认吊销令牌 {0}？',
    issuedAt: '签发时间', issuedBy: '签发人', statement: '账户流水（近 30 天）', parkedCallbacks: '搁置的回调', replay: '重发',
    at: '时间', endpoint: '地址', circuit: '熔断', inFlight: '进行中', editSku: '上下架与限购', maxPerBuyer: '每人限购',
    lowStockThreshold: '低库存阈值', supplierPage: '供应商',
    catalog: '商品', channels: '渠道', risk: '风控规则', newSku: '新建商品', name: '名称', kind: '类型',
    faceValue: '面值（分）', listPrice: '建议售价（分）', riskLevel: '风险等级', create: '创建', created: '已创建',
    importCodes: '导入卡密（CSV）', supplierId: '供应商 ID', unitCost: '单位成本（分）', file: '文件',
    upload: '上传', accepted: '已接收', duplicates: '重复', invalidLines: '无效行', line: '行',
    lookUp: '查看', freeze: '冻结批次', unfreeze: '解冻批次', batchId: '批次 ID', frozen: '已冻结',
    confirmFreeze: '确认冻结批次 {0}？其卡密将立即下架。', newChannel: '新建渠道', parentChannelId: '上级渠道 ID（可选）',
    secretOnce: '密钥只显示这一次，请立即保存：', copy: '复制', copied: '已复制', deposit: '充值',
    depositAmount: '金额（分）', reference: '凭证号', balance: '余额', price: '价格（分）', quota: '配额（可选）',
    setPrice: '设置价格', channelLookup: '查看渠道', rulesVersion: '规则版本 {0}', save: '保存', reload: '重新载入',
    versionConflict: '规则已被他人修改（当前版本 {0}）。你的修改仍在编辑框中，未丢失；请对照下方当前规则后重新保存。',
    currentRules: '当前规则', saved: '已保存，版本 {0}', confirmSaveRules: '确认替换整套风控规则？'
  },
  'en': {
    title: 'Quanyi · Operator console', token: 'Admin token', signIn: 'Sign in', signOut: 'Sign out',
    otherLanguage: '中文', dashboard: 'Dashboard', orders: 'Orders', reviews: 'Review queue', cancel: 'Cancel',
    confirm: 'Confirm', badToken: 'That token is not valid', unavailable: 'The platform cannot answer now; retry shortly',
    ordersPerSecond: 'Orders/s by outcome', refusalsPerSecond: 'Refusals/s by reason', members: 'Cluster members',
    todayBySku: 'Today by SKU', todayByChannel: 'Today by channel', revenue: 'Revenue', margin: 'Margin',
    units: 'Units', stock: 'Stock', lowStock: 'Low-stock alerts', noLowStock: 'No low stock',
    projectionLag: 'Projection lag', reviewQueue: 'Waiting for review', suppliers: 'Supplier circuits',
    notPermitted: 'Your role may not see this', searchByNumber: 'By channel and order number',
    channelId: 'Channel ID', clientOrderNo: 'Order number', search: 'Search', searchByIndex: 'By status or SKU',
    status: 'Status', skuId: 'SKU ID', from: 'From', to: 'To', notFound: 'Not found', orderDetail: 'Order',
    codes: 'Codes (masked)', refund: 'Refund', refundReason: 'Reason for the refund',
    confirmRefund: 'Refund order {0}? The channel gets its charge back.', approve: 'Approve', reject: 'Reject',
    confirmApprove: 'Approve order {0}?', confirmReject: 'Reject order {0}? Its charge is refunded.',
    emptyQueue: 'No order waits for review', reason: 'Reason', openedAt: 'Waiting since', createdAt: 'Created',
    amount: 'Amount', quantity: 'Quantity', done: 'Done', perSecond: '/s', reachable: 'reachable',
    unreachable: 'unreachable', role: 'Role', lastMinute: 'last 60 s', none: 'none', orderId: 'Order ID', alerts: 'Alerts', noAlerts: 'No alert in force',
    reports: 'Reports', projections: 'Projections', tokens: 'Admin tokens', sales: 'Sales', groupBy: 'Group by',
    downloadCsv: 'Download CSV', orderCount: 'Orders', cost: 'Cost', ledgerCheck: 'Ledger check',
    consistent: 'consistent', inconsistent: 'inconsistent', pause: 'Pause', resume: 'Resume', rebuild: 'Rebuild',
    paused: 'paused', running: 'running', events: 'Events',
    confirmRebuild: 'Rebuild projection {0}? Its tables are emptied and its tags read from the start.',
    confirmPause: 'Pause projection {0}?', newToken: 'New token', tokenOnce: 'The token is shown only now; keep it:',
    revoke: 'Revoke', confirmRevoke: 'Revoke token {0}?', issuedAt: 'Issued', issuedBy: 'Issued by',
    statement: 'Account statement (30 days)', parkedCallbacks: 'Parked callbacks', replay: 'Replay', at: 'At',
    endpoint: 'Endpoint', circuit: 'Circuit', inFlight: 'In flight', editSku: 'Listing and limits',
    maxPerBuyer: 'Max per buyer', lowStockThreshold: 'Low-stock threshold', supplierPage: 'Suppliers',
    catalog: 'Catalog', channels: 'Channels', risk: 'Risk rules', newSku: 'New SKU', name: 'Name', kind: 'Kind',
    faceValue: 'Face value (minor units)', listPrice: 'List price (minor units)', riskLevel: 'Risk level',
    create: 'Create', created: 'Created', importCodes: 'Import codes (CSV)', supplierId: 'Supplier ID',
    unitCost: 'Unit cost (minor units)', file: 'File', upload: 'Upload', accepted: 'Accepted',
    duplicates: 'Duplicates', invalidLines: 'Invalid lines', line: 'Line', lookUp: 'Look up',
    freeze: 'Freeze batch', unfreeze: 'Unfreeze batch', batchId: 'Batch ID', frozen: 'Frozen',
    confirmFreeze: 'Freeze batch {0}? Its codes leave the stock at once.', newChannel: 'New channel',
    parentChannelId: 'Parent channel ID (optional)', secretOnce: 'The secret is shown only now; keep it:',
    copy: 'Copy', copied: 'Copied', deposit: 'Deposit', depositAmount: 'Amount (minor units)',
    reference: 'Reference', balance: 'Balance', price: 'Price (minor units)', quota: 'Quota (optional)',
    setPrice: 'Set price', channelLookup: 'Look up a channel', rulesVersion: 'Rule set version {0}', save: 'Save',
    reload: 'Reload', versionConflict: 'Someone changed the rules meanwhile (now version {0}). Your edit is still in the editor, not lost: compare it with the current rules below and save again.',
    currentRules: 'Current rules', saved: 'Saved, version {0}', confirmSaveRules: 'Replace the whole risk rule set?'
  }
};

const I18n = {
  lang: localStorage.getItem('quanyi.lang') || 'zh-CN',
  t(key, ...args) {
    const text = (MESSAGES[I18n.lang] || MESSAGES.en)[key] || key;
    return text.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
  },
  apply(root) {
    root.querySelectorAll('[data-t]').forEach(el => { el.textContent = I18n.t(el.dataset.t); });
    document.documentElement.lang = I18n.lang;
  },
  toggle() {
    I18n.lang = I18n.lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem('quanyi.lang', I18n.lang);
  }
};
