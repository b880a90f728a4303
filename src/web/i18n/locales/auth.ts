export default {
  'zh-CN': {
    title: '登录',
    subtitle: '设定目标 · 分解到人 · 追踪达成',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
    footer: '销售目标管理系统',
  },
  en: {
    title: 'Sign in',
    subtitle: 'Set targets · break them down · track attainment',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    footer: 'Sales target management',
  },
};
