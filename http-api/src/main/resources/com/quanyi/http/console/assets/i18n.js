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
    role: '角色', lastMinute: '最近 60 秒', none: '无', orderId: '订单 ID'
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
    unreachable: 'unreachable', role: 'Role', lastMinute: 'last 60 s', none: 'none', orderId: 'Order ID'
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
