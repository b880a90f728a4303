/**
 * Passwords that guessing tools try first: the top of public leak lists (RockYou, the 2011 CSDN
 * and 163 leaks, yearly "worst passwords" lists), the favourites of Chinese keyboards and
 * sayings (5201314 "I love you for a lifetime", woaini "I love you", pinyin names, qq…),
 * keyboard walks (1qaz2wsx, qweasdzxc) and this product's own name. Many are also refused by
 * the length and letters-and-digits rules; they stay here so the list reads as what it is.
 * Compared lower-cased, so `Password1` and `QWERTY123` are refused too.
 */
const LIST = `
123456 123456789 12345678 1234567890 1234567 12345 123123 123123123 111111 11111111 000000
00000000 666666 66666666 888888 88888888 999999 99999999 654321 987654321 147258369 159357
159753 123321 112233 121212 131313 110110 520520 521521 1314520 5201314 5201314520 7758521
7758258 584520 woaini woaini1314 woaini520 woaini521 woaini123 woaini1234 woaini12345
woaini123456 iloveyou iloveyou1 iloveyou2 iloveyou123 5211314 woaiwojia wodemima mima mima123
mima1234 mima123456 a123456 a1234567 a12345678 a123456789 aa123456 aa12345678 aaa123456 a111111
a123123 a5201314 qq123456 qq5201314 qq123456789 abc123 abc1234 abc12345 abc123456 abc123456789
abcd1234 abcd12345 abcd123456 abc123abc 123456a 123456aa 123456abc 1234567a 12345678a 123456789a
123abc 123qwe 123qweasd 123qweasdzxc qwe123 qwe123456 qweasd qweasd123 qweasdzxc qweasdzxc123
qaz123 qaz123456 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 1qaz@wsx zaq12wsx zaq1xsw2 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y 1q2w3e 1q2w3e4r! q1w2e3r4 q1w2e3r4t5 1234qwer 12345qwert qwer1234 qwert12345
asdf1234 asdfgh asdfghjk asdfghjkl asd123 asd123456 zxc123 zxc123456 zxcvbnm zxcvbnm123 zxcv1234
qwerty qwerty1 qwerty12 qwerty123 qwerty1234 qwertyui qwertyuiop password password1 password12
password123 password1234 passw0rd p@ssw0rd p@ssword pa55word pa$$w0rd pass1234 pass123 pass12345
admin admin1 admin12 admin123 admin1234 admin12345 admin123456 admin888 admin@123 administrator
administrator1 root root123 root1234 root123456 toor test test1 test12 test123 test1234
test12345 test123456 testtest guest guest123 user user123 user1234 demo demo123 login login123
welcome welcome1 welcome123 welcome2024 welcome2025 welcome2026 letmein letmein1 letmein123
changeme changeme1 changeme123 default default1 secret secret1 monkey monkey123 dragon dragon123
football football1 baseball baseball1 master master123 sunshine sunshine1 princess princess1
shadow shadow123 superman superman1 michael michael1 trustno1 batman batman123 hello hello123
hello1234 hello12345 helloworld helloworld1 iloveu iloveu123 lovely lovely123 love1314 love520
love123 love1234 love12345 loveyou loveyou1 freedom freedom1 whatever whatever1 starwars
starwars1 computer computer1 internet internet1 jordan23 michael23 charlie charlie1 ashley
ashley1 jessica jessica1 daniel daniel1 thomas thomas1 hunter hunter2 ranger killer killer123
soccer soccer1 summer summer1 summer2024 summer2025 summer2026 winter2024 winter2025 winter2026
spring2025 spring2026 autumn2025 mustang mustang1 access access14 flower flower1 cheese pokemon
pokemon1 google google123 baidu baidu123 taobao taobao123 tencent weixin weixin123 wechat
wechat123 huawei huawei123 xiaomi xiaomi123 alibaba alibaba123 beijing beijing123 shanghai
shanghai123 china china123 china2008 zhongguo zhongguo123 woshishui nihao nihao123 nihao123456
wangyang wangwei zhangwei liwei wang123 wang123456 zhang123 zhang123456 li123456 liu123456
chen123456 yang123456 huang123 huang123456 xiaoming xiaoming123 dearbook aini1314 aini520
qingfeng tianya tiantian tiantian123 yangyang jiajia xiaoxiao haohao lingling sales123 sales1234
sales2024 sales2025 sales2026 company123 company1 office123 manager manager1 manager123 finance
finance123 target123 targetflow targetflow1 targetflow123 company2024 company2025 company2026
abc@123 abc@1234 admin@1234 root@123 qwe@123 aa112233 a1b2c3 a1b2c3d4 a1b2c3d4e5 aabbcc
aabbcc123 abcabc abcabc123 abcdef abcdef123 abcdefg abcdefg1 abcdefgh abcdefgh1 123456qq
123456789q 123456789abc 1234abcd 12345abc 12345678abc 11223344 aa123123 asdasd asdasd123 qweqwe
qweqwe123 zxczxc 1a2b3c4d 1a2b3c4d5e 2wsx3edc 3edc4rfv zaq12345 !qaz2wsx 1qaz!qaz 1qaz1qaz
2wsx2wsx 123.com 123456.com 1234.com
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
