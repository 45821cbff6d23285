<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActBar</name>
    <message>
        <source>预览凭证</source>
        <translation>Preview voucher</translation>
    </message>
    <message>
        <source>打印凭证</source>
        <translation>Print voucher</translation>
    </message>
    <message>
        <source>原件已打印过的，打印为补打</source>
        <translation>Once the original has been printed, this prints a reprint (补打)</translation>
    </message>
    <message>
        <source>作废…</source>
        <translation>Void…</translation>
    </message>
    <message>
        <source>业务流水号 {serial}：{kind}，{at}，{counter} 号窗口 {clerk}，{state}</source>
        <translation>Serial {serial}: {kind}, {at}, counter {counter}, {clerk}, {state}</translation>
    </message>
    <message>
        <source>；参保人：{name}</source>
        <translation>; insured person: {name}</translation>
    </message>
    <message>
        <source>在日结台账中填写原因后作废</source>
        <translation>Void it in the daily ledger, with a reason</translation>
    </message>
    <message>
        <source>正在打印 {serial}…</source>
        <translation>Printing {serial}…</translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <source>（每 {seconds} 秒自动重试）</source>
        <translation> (retrying every {seconds} s)</translation>
    </message>
    <message>
        <source>数据库已恢复连接，可以继续办理业务</source>
        <translation>The database answers again: business can go on</translation>
    </message>
</context>
<context>
    <name>CardApplicationView</name>
    <message>
        <source>已收回原卡</source>
        <translation>Old card handed back</translation>
    </message>
    <message>
        <source>即时制卡（本窗口制卡）</source>
        <translation>Instant issuance (card made at this counter)</translation>
    </message>
    <message>
        <source>自动调整照片</source>
        <translation>Fit the photo</translation>
    </message>
    <message>
        <source>（未导入照片）</source>
        <translation>(no photo yet)</translation>
    </message>
    <message>
        <source>导入照片(&amp;I)…</source>
        <translation>&amp;Import photo…</translation>
    </message>
    <message>
        <source>受理申领(&amp;S)</source>
        <translation>&amp;Submit the application</translation>
    </message>
    <message>
        <source>申领类型</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>换领原因</source>
        <translation>Replacement reason</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>申请人：{name}（{sex}，{birth}）</source>
        <translation>Applicant: {name} ({sex}, {birth})</translation>
    </message>
    <message>
        <source>{yuan} 元</source>
        <translation>{yuan} yuan</translation>
    </message>
    <message>
        <source>选择照片</source>
        <translation>Choose a photo</translation>
    </message>
    <message>
        <source>照片 (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>Photos (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <source>照片符合制卡要求</source>
        <translation>The photo meets the card specification</translation>
    </message>
    <message>
        <source>请先打开参保人</source>
        <translation>Open a person first</translation>
    </message>
    <message>
        <source>请先导入照片</source>
        <translation>Import a photo first</translation>
    </message>
    <message>
        <source>已受理{kind}，业务流水号 {serial}</source>
        <translation>{kind} accepted, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>申请人：{name}</source>
        <translation>Applicant: {name}</translation>
    </message>
    <message>
        <source>申领类型：{k}</source>
        <translation>Application: {k}</translation>
    </message>
    <message>
        <source>费用：{yuan} 元</source>
        <translation>Fee: {yuan} yuan</translation>
    </message>
    <message>
        <source>即时制卡，卡号：{n}</source>
        <translation>Issued at once, card number: {n}</translation>
    </message>
    <message>
        <source>预计领卡日期：{d}</source>
        <translation>Expected pick-up date: {d}</translation>
    </message>
    <message>
        <source>{role}：{name}</source>
        <translation>{role}: {name}</translation>
    </message>
    <message>
        <source>姓名含卡片字库以外的字，由制卡中心人工制卡</source>
        <translation>The name has characters outside the card&apos;s character set; the card bureau personalises it by hand</translation>
    </message>
</context>
<context>
    <name>CardRewriteBox</name>
    <message>
        <source>改写社保卡信息（迁入本地后改写卡内参保地，不需重新办卡）</source>
        <translation>Card rewrite (the insuring region on the card after a move here; no new card needed)</translation>
    </message>
    <message>
        <source>改写卡内参保地(&amp;W)</source>
        <translation>Rewrite insuring region on card (&amp;W)</translation>
    </message>
    <message>
        <source>正在核对参保信息……</source>
        <translation>Checking the enrollment…</translation>
    </message>
    <message>
        <source>正在改写读卡器中的社会保障卡，参保地改为 {region}；请勿拔卡……</source>
        <translation>Writing the card in the reader: insuring region {region}. Do not remove the card…</translation>
    </message>
    <message>
        <source>。请将参保人的社会保障卡插好后再按「改写卡内参保地」</source>
        <translation>. Put the citizen&apos;s card in the reader and press &quot;Rewrite insuring region on card&quot; again</translation>
    </message>
    <message>
        <source>已改写：参保地 {before} → {after}，业务流水号 {serial}</source>
        <translation>Rewritten: insuring region {before} → {after}, serial {serial}</translation>
    </message>
</context>
<context>
    <name>CardWatch</name>
    <message>
        <source>读卡器：不可用</source>
        <translation>Reader: unavailable</translation>
    </message>
    <message>
        <source>读卡器：{m}</source>
        <translation>Reader: {m}</translation>
    </message>
    <message>
        <source>读卡器：读卡服务未运行</source>
        <translation>Reader: the PC/SC service is not running</translation>
    </message>
    <message>
        <source>读卡器：等待插卡</source>
        <translation>Reader: waiting for a card</translation>
    </message>
    <message>
        <source>读卡器：无读卡器</source>
        <translation>Reader: no reader</translation>
    </message>
    <message>
        <source>读卡器：正在读卡</source>
        <translation>Reader: reading</translation>
    </message>
    <message>
        <source>读卡器：读卡失败</source>
        <translation>Reader: read failed</translation>
    </message>
    <message>
        <source>读卡器：已插卡</source>
        <translation>Reader: card present</translation>
    </message>
    <message>
        <source>读卡器：正在改写卡片</source>
        <translation>Reader: writing the card</translation>
    </message>
    <message>
        <source>读卡器：改写未完成</source>
        <translation>Reader: card not rewritten</translation>
    </message>
</context>
<context>
    <name>CertificateView</name>
    <message>
        <source>选填，如：购房贷款、子女入学、单位入职</source>
        <translation>Optional, e.g. mortgage, school enrolment, new employer</translation>
    </message>
    <message>
        <source>开具证明(&amp;K)</source>
        <translation>Issue certificate (&amp;K)</translation>
    </message>
    <message>
        <source>证明类型</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>证明用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>{name}：参保记录 {count} 段；{months}</source>
        <translation>{name}: {count} enrollment period(s); {months}</translation>
    </message>
    <message>
        <source>已开具{title}，业务流水号 {serial}</source>
        <translation>{title} issued, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>至今</source>
        <translation>to date</translation>
    </message>
    <message>
        <source>{insurance}  {region}  {start} 至 {end}  {status}</source>
        <translation>{insurance}  {region}  {start} to {end}  {status}</translation>
    </message>
</context>
<context>
    <name>ConfirmButton</name>
    <message>
        <source>已核实，继续办理</source>
        <translation>Checked, go on</translation>
    </message>
</context>
<context>
    <name>CorrectionView</name>
    <message>
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>现值</source>
        <translation>Current</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>即时生效</source>
        <translation>at once</translation>
    </message>
    <message>
        <source>需复核</source>
        <translation>needs review</translation>
    </message>
    <message>
        <source>银行扣款账户（即时生效）</source>
        <translation>Bank debit account (at once)</translation>
    </message>
    <message>
        <source>男</source>
        <translation>male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>female</translation>
    </message>
    <message>
        <source>开户银行</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>持有人关系</source>
        <translation>Holder&apos;s relation</translation>
    </message>
    <message>
        <source>持有人姓名</source>
        <translation>Holder&apos;s name</translation>
    </message>
    <message>
        <source>持有人性别</source>
        <translation>Holder&apos;s sex</translation>
    </message>
    <message>
        <source>持有人电话</source>
        <translation>Holder&apos;s phone</translation>
    </message>
    <message>
        <source>持有人地址</source>
        <translation>Holder&apos;s address</translation>
    </message>
    <message>
        <source>持有人邮编</source>
        <translation>Holder&apos;s postcode</translation>
    </message>
    <message>
        <source>查验的证明材料</source>
        <translation>Documents seen</translation>
    </message>
    <message>
        <source>变更原因（必填），如：本人更换手机号码</source>
        <translation>Reason (required), e.g. new mobile number</translation>
    </message>
    <message>
        <source>提交变更(&amp;S)</source>
        <translation>&amp;Submit the change</translation>
    </message>
    <message>
        <source>变更原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>变更 {name} 的参保信息</source>
        <translation>Change the data of {name}</translation>
    </message>
    <message>
        <source>请先打开参保人</source>
        <translation>Open a person first</translation>
    </message>
    <message>
        <source>已提交，业务流水号 {serial}</source>
        <translation>Submitted, serial {serial}</translation>
    </message>
    <message>
        <source>；身份信息待复核</source>
        <translation>; identity data awaits review</translation>
    </message>
    <message>
        <source>；已生效</source>
        <translation>; in effect</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
</context>
<context>
    <name>CounterSettingsForm</name>
    <message>
        <source>系统默认打印机</source>
        <translation>the system&apos;s default printer</translation>
    </message>
    <message>
        <source>无（回执用 A4 打印机）</source>
        <translation>none (receipts go to the A4 printer)</translation>
    </message>
    <message>
        <source>第一个插入社保卡的读卡器</source>
        <translation>the first reader a card goes into</translation>
    </message>
    <message>
        <source>刷新打印机</source>
        <translation>Find printers</translation>
    </message>
    <message>
        <source>刷新读卡器</source>
        <translation>Find readers</translation>
    </message>
    <message>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>大厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <source>窗口号</source>
        <translation>Counter number</translation>
    </message>
    <message>
        <source>本窗口有制卡设备</source>
        <translation>This counter has a card printer</translation>
    </message>
    <message>
        <source>锁屏时间（分钟）</source>
        <translation>Idle lock (minutes)</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>A4 打印机</source>
        <translation>A4 printer</translation>
    </message>
    <message>
        <source>回执打印机（80 mm）</source>
        <translation>Receipt printer (80 mm)</translation>
    </message>
    <message>
        <source>读卡器</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <source>照片文件夹（高拍仪保存照片处）</source>
        <translation>Photo folder (where the counter&apos;s camera saves)</translation>
    </message>
    <message>
        <source>数据库地址</source>
        <translation>Database URL</translation>
    </message>
    <message>
        <source>经办机构</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>政策参数</source>
        <translation>Regional policy</translation>
    </message>
    <message>
        <source>临时挂失有效天数</source>
        <translation>Days a temporary loss report lasts</translation>
    </message>
    <message>
        <source>首次申领费用（元）</source>
        <translation>First card fee (yuan)</translation>
    </message>
    <message>
        <source>补领费用（元）</source>
        <translation>Reissue fee (yuan)</translation>
    </message>
    <message>
        <source>换领费用（元）</source>
        <translation>Replacement fee (yuan)</translation>
    </message>
    <message>
        <source>过期换领免费</source>
        <translation>Expired card replaced free</translation>
    </message>
    <message>
        <source>制卡工作日数</source>
        <translation>Card production working days</translation>
    </message>
    <message>
        <source>需监护人的年龄（未满）</source>
        <translation>Guardian needed under age</translation>
    </message>
    <message>
        <source>转移接续规则</source>
        <translation>Transfer rules</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>居民集中缴费期起始月</source>
        <translation>Residents&apos; collection period: first month</translation>
    </message>
    <message>
        <source>居民集中缴费期截止月</source>
        <translation>Residents&apos; collection period: last month</translation>
    </message>
    <message>
        <source>新参保等待天数</source>
        <translation>New enrollee&apos;s wait (days)</translation>
    </message>
    <message>
        <source>新生儿出生后参保月数</source>
        <translation>Months after birth a newborn is covered from birth</translation>
    </message>
    <message>
        <source>离职后续保天数</source>
        <translation>Days to go on as an individual after a job</translation>
    </message>
    <message>
        <source>职工个人参保等待月数</source>
        <translation>Individual employee&apos;s wait (months)</translation>
    </message>
    <message>
        <source>异地就医备案</source>
        <translation>Care elsewhere filing</translation>
    </message>
    <message>
        <source>临时外出就医备案有效月数</source>
        <translation>Months a temporary filing lasts</translation>
    </message>
    <message>
        <source>在职转退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <source>男职工累计缴费年限</source>
        <translation>Contribution years required of men</translation>
    </message>
    <message>
        <source>女职工累计缴费年限</source>
        <translation>Contribution years required of women</translation>
    </message>
    <message>
        <source>本地实际缴费年限</source>
        <translation>Years actually paid here required</translation>
    </message>
    <message>
        <source>最低退休年龄</source>
        <translation>Earliest retirement age</translation>
    </message>
    <message>
        <source>退休后连续享受待遇的办理月数</source>
        <translation>Months after retirement for continuous benefits</translation>
    </message>
    <message>
        <source>退休时未参保的等待月数</source>
        <translation>Waiting months when not covered at retirement</translation>
    </message>
    <message>
        <source>趸缴、逐年缴纳月缴费额（元）</source>
        <translation>Monthly amount of a shortfall payment (yuan)</translation>
    </message>
    <message>
        <source>设置文件：{path}</source>
        <translation>Settings file: {path}</translation>
    </message>
    <message>
        <source>大厅统一设置（系统设置文件）：{path}</source>
        <translation>The hall&apos;s settings (system file): {path}</translation>
    </message>
    <message>
        <source>由环境变量 {v} 指定</source>
        <translation>Set by the environment variable {v}</translation>
    </message>
    <message>
        <source>由大厅系统设置文件 {path} 统一设置</source>
        <translation>Set for the hall by the system settings file {path}</translation>
    </message>
    <message>
        <source>大厅统一设置（{path}）；在此修改只改本窗口</source>
        <translation>The hall&apos;s setting ({path}); a change here applies to this counter only</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存到 {path}。打印机立即生效；数据库、窗口号、语言、读卡器等在重新启动后生效</source>
        <translation>Saved to {path}. Printers apply at once; the database, counter number, language and reader apply at the next start</translation>
    </message>
    <message>
        <source>有设置项不正确，未保存</source>
        <translation>Some settings are not valid; nothing was saved</translation>
    </message>
</context>
<context>
    <name>DemoCards</name>
    <message>
        <source>已插入演示卡：{d}</source>
        <translation>Demo card inserted: {d}</translation>
    </message>
    <message>
        <source>已拔出演示卡</source>
        <translation>Demo card removed</translation>
    </message>
    <message>
        <source>插入演示卡：{d}</source>
        <translation>Insert demo card: {d}</translation>
    </message>
    <message>
        <source>拔出演示卡</source>
        <translation>Remove the demo card</translation>
    </message>
</context>
<context>
    <name>DestinationEdit</name>
    <message>
        <source>输入城市名称、拼音、首字母或区划代码，如：泸州、lz、5105</source>
        <translation>Type a city&apos;s name, pinyin, initials or code, e.g. 泸州, lz, 5105</translation>
    </message>
</context>
<context>
    <name>InheritanceReviewModel</name>
    <message>
        <source>{name} 的个人账户余额继承：{verdict}，业务流水号 {serial}</source>
        <translation>Account inheritance for {name}: {verdict}, serial {serial}</translation>
    </message>
</context>
<context>
    <name>InheritanceReviewPanel</name>
    <message>
        <source>复核意见（驳回时必填）</source>
        <translation>Review comment (required to reject)</translation>
    </message>
    <message>
        <source>核准支付</source>
        <translation>Approve payment</translation>
    </message>
    <message>
        <source>驳回</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>待复核的个人账户余额继承申请</source>
        <translation>Account balance inheritance requests awaiting review</translation>
    </message>
    <message>
        <source>{name}（{id}）：{balance} 元付 {heir}（{relation}），{who} {at} 提交</source>
        <translation>{name} ({id}): {balance} yuan to {heir} ({relation}), submitted by {who} {at}</translation>
    </message>
    <message>
        <source>没有待复核的继承申请</source>
        <translation>No inheritance requests awaiting review</translation>
    </message>
    <message>
        <source>本人提交的申请须由其他复核员复核：复核人不能是申请人本人</source>
        <translation>Your own request must be reviewed by another supervisor: the reviewer cannot be the submitter</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>死亡日期 {death}；收款：{bank} {account}；尚缺材料：{missing}。核准后即为最终支付指令</source>
        <translation>Died {death}; payee account: {bank} {account}; materials missing: {missing}. Once approved this is the final payment instruction</translation>
    </message>
</context>
<context>
    <name>InheritanceView</name>
    <message>
        <source>如 2026-10-02，以死亡证明为准</source>
        <translation>e.g. 2026-10-02, as on the death certificate</translation>
    </message>
    <message>
        <source>结算系统中的个人账户余额（元）</source>
        <translation>Personal account balance in the settlement system (yuan)</translation>
    </message>
    <message>
        <source>死亡登记与个人账户</source>
        <translation>Death and personal account</translation>
    </message>
    <message>
        <source>死亡日期</source>
        <translation>Date of death</translation>
    </message>
    <message>
        <source>死亡证明材料</source>
        <translation>Proof of death</translation>
    </message>
    <message>
        <source>个人账户余额（元）</source>
        <translation>Personal account balance (yuan)</translation>
    </message>
    <message>
        <source>如：中国工商银行北京朝阳支行</source>
        <translation>e.g. ICBC Beijing Chaoyang branch</translation>
    </message>
    <message>
        <source>继承人（收款人，一次申请一名）</source>
        <translation>Heir (the payee, one per request)</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>Identity number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>与死亡参保人关系</source>
        <translation>Relation to the deceased</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>开户银行</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>银行卡号</source>
        <translation>Bank card number</translation>
    </message>
    <message>
        <source>已收材料（未勾选的打印为尚缺）</source>
        <translation>Materials received (unticked ones print as missing)</translation>
    </message>
    <message>
        <source>提交继承申请并打印承诺书(&amp;S)</source>
        <translation>&amp;Submit and print the undertaking</translation>
    </message>
    <message>
        <source>死亡参保人：{name}（{id}），无在保参保记录</source>
        <translation>Deceased: {name} ({id}), no enrollment in force</translation>
    </message>
    <message>
        <source>死亡参保人：{name}（{id}），{type}「{status}」，本库余额 {balance} 元</source>
        <translation>Deceased: {name} ({id}), {type} “{status}”, balance on record {balance} yuan</translation>
    </message>
    <message>
        <source>继承人未满 18 周岁，须由监护人办理</source>
        <translation>The heir is under 18 and must come with a guardian</translation>
    </message>
    <message>
        <source>继承申请已受理，待复核；业务流水号 {serial}。请继承人在承诺书上签字</source>
        <translation>Inheritance request accepted, awaiting review; serial {serial}. Have the heir sign the undertaking</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>死亡日期：{d}</source>
        <translation>Date of death: {d}</translation>
    </message>
    <message>
        <source>个人账户余额：{b} 元</source>
        <translation>Personal account balance: {b} yuan</translation>
    </message>
    <message>
        <source>继承人：{name}（{relation}），{bank} {account}</source>
        <translation>Heir: {name} ({relation}), {bank} {account}</translation>
    </message>
    <message>
        <source>参保：{e}</source>
        <translation>Enrollment: {e}</translation>
    </message>
    <message>
        <source>社会保障卡 {n} 已注销</source>
        <translation>Social security card {n} cancelled</translation>
    </message>
    <message>
        <source>尚缺：{m}</source>
        <translation>Missing: {m}</translation>
    </message>
</context>
<context>
    <name>LedgerModel</name>
    <message>
        <source>已作废 {serial}：{undone}</source>
        <translation>Voided {serial}: {undone}</translation>
    </message>
    <message>
        <source>{day} 已日结：{count} 笔，合计 {fee} 元，作废 {voids} 笔</source>
        <translation>{day} closed: {count} transactions, {fee} yuan in total, {voids} voided</translation>
    </message>
    <message>
        <source>已备份到 {file}。</source>
        <translation>Backed up to {file}.</translation>
    </message>
    <message>
        <source>备份失败：{reason} 日结已完成，请联系信息科手工备份。</source>
        <translation>The backup failed: {reason} The day is closed all the same; ask IT to make a backup by hand.</translation>
    </message>
    <message>
        <source>日结时不备份（设置中未指定备份文件夹）</source>
        <translation>The day close makes no backup (no backup folder in the settings)</translation>
    </message>
    <message>
        <source>尚无备份（备份文件夹 {folder}）</source>
        <translation>No backup yet (backup folder {folder})</translation>
    </message>
    <message>
        <source>最近备份：{time}（{file}）</source>
        <translation>Last backup: {time} ({file})</translation>
    </message>
    <message>
        <source>已导出 {n} 笔到 {path}</source>
        <translation>Exported {n} transactions to {path}</translation>
    </message>
    <message>
        <source>已取消导出，未生成文件</source>
        <translation>Export cancelled; no file was written</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>业务日期</source>
        <translation>Business day</translation>
    </message>
    <message>
        <source>业务流水号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>业务类型</source>
        <translation>Business</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>社会保障号码</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>作废原因</source>
        <translation>Void reason</translation>
    </message>
    <message>
        <source>作废原因（必填）</source>
        <translation>Reason for voiding (required)</translation>
    </message>
    <message>
        <source>作废所选业务</source>
        <translation>Void the selected transaction</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已由{name}日结</source>
        <translation>closed by {name}</translation>
    </message>
    <message>
        <source>未日结</source>
        <translation>not closed</translation>
    </message>
    <message>
        <source>共 {count} 笔，合计 {fee} 元，作废 {voids} 笔；{state}</source>
        <translation>{count} transactions, {fee} yuan in total, {voids} voided; {state}</translation>
    </message>
    <message>
        <source>请先在列表中选择要作废的业务</source>
        <translation>Select the transaction to void in the list first</translation>
    </message>
    <message>
        <source>日结后当天的业务不能再作废或修改。确认日结 {day}？</source>
        <translation>After closing, the day&apos;s transactions can no longer be voided or changed. Close {day}?</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>正在导出台账到 {path}…</source>
        <translation>Exporting the ledger to {path}…</translation>
    </message>
    <message>
        <source>导出台账</source>
        <translation>Export the ledger</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>窗口已锁定</source>
        <translation>Counter locked</translation>
    </message>
    <message>
        <source>{name}，窗口因长时间未操作已锁定，请输入密码解锁。</source>
        <translation>{name}, the counter was locked after a period without use; enter your password to unlock it.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>请输入密码</source>
        <translation>Enter the password</translation>
    </message>
</context>
<context>
    <name>LookupView</name>
    <message>
        <source>社会保障号码、卡号、姓名或拼音首字母（如 zs）；也可扫描凭证上的条码</source>
        <translation>Social security number, card number, name or pinyin initials (e.g. zs); or scan a voucher&apos;s barcode</translation>
    </message>
    <message>
        <source>登记新参保人(&amp;N)</source>
        <translation>Register a &amp;new citizen</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>社会保障号码</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>社保卡号</source>
        <translation>Card number</translation>
    </message>
    <message>
        <source>按回车打开这笔业务</source>
        <translation>Press Enter to open this business act</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>找到 {n} 人，按回车打开第一位</source>
        <translation>{n} found; press Enter to open the first</translation>
    </message>
    <message>
        <source>没有找到符合条件的参保人</source>
        <translation>No insured person matches</translation>
    </message>
    <message>
        <source>没有找到「{text}」对应的参保人，未打开任何人；按 Alt+N 登记新参保人</source>
        <translation>Nobody found for “{text}”; nobody was opened. Press Alt+N to register a new citizen</translation>
    </message>
    <message>
        <source>正在查找业务…</source>
        <translation>Looking up the business act…</translation>
    </message>
    <message>
        <source>已找到业务 {serial}</source>
        <translation>Found business act {serial}</translation>
    </message>
    <message>
        <source>已找到业务 {serial}（不属于某一参保人）</source>
        <translation>Found business act {serial} (it belongs to no insured person)</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>正在读取社保卡状态…</source>
        <translation>Reading the card&apos;s state…</translation>
    </message>
    <message>
        <source>该参保人没有在用的社保卡</source>
        <translation>This person has no card in use</translation>
    </message>
    <message>
        <source>{name} 的社保卡 {number}：{state}</source>
        <translation>Card {number} of {name}: {state}</translation>
    </message>
    <message>
        <source>（未制卡）</source>
        <translation>(not produced yet)</translation>
    </message>
    <message>
        <source>，临时挂失至 {at}</source>
        <translation>, temporarily reported lost until {at}</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>为 {name} 的社保卡 {number} 办理「{act}」？</source>
        <translation>Record “{act}” for card {number} of {name}?</translation>
    </message>
    <message>
        <source>已办理「{act}」，业务流水号 {serial}</source>
        <translation>“{act}” recorded, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>卡号：{n}</source>
        <translation>Card number: {n}</translation>
    </message>
    <message>
        <source>状态：{a} → {b}</source>
        <translation>State: {a} → {b}</translation>
    </message>
    <message>
        <source>临时挂失有效至：{at}</source>
        <translation>Temporary report valid until: {at}</translation>
    </message>
    <message>
        <source>{role}：{name}</source>
        <translation>{role}: {name}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>medins-desk · {hall} · {counter} 号窗口</source>
        <translation>medins-desk · {hall} · counter {counter}</translation>
    </message>
    <message>
        <source>业务(&amp;B)</source>
        <translation>&amp;Business</translation>
    </message>
    <message>
        <source>参保人查询</source>
        <translation>Person lookup</translation>
    </message>
    <message>
        <source>社保卡申领</source>
        <translation>Card application</translation>
    </message>
    <message>
        <source>挂失/解挂</source>
        <translation>Loss and unfreeze</translation>
    </message>
    <message>
        <source>参保信息变更</source>
        <translation>Data correction</translation>
    </message>
    <message>
        <source>医保关系转移</source>
        <translation>Coverage transfer</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>异地就医备案</source>
        <translation>Care elsewhere filing</translation>
    </message>
    <message>
        <source>个人账户继承</source>
        <translation>Account inheritance</translation>
    </message>
    <message>
        <source>参保证明</source>
        <translation>Enrollment certificate</translation>
    </message>
    <message>
        <source>在职转退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <source>复核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>日结台账</source>
        <translation>Daily ledger</translation>
    </message>
    <message>
        <source>取消当前表单</source>
        <translation>Cancel the current form</translation>
    </message>
    <message>
        <source>凭证(&amp;V)</source>
        <translation>&amp;Vouchers</translation>
    </message>
    <message>
        <source>打印凭证</source>
        <translation>Print voucher</translation>
    </message>
    <message>
        <source>预览凭证</source>
        <translation>Preview voucher</translation>
    </message>
    <message>
        <source>读卡器：未连接</source>
        <translation>Reader: not connected</translation>
    </message>
    <message>
        <source>数据库：{where}</source>
        <translation>Database: {where}</translation>
    </message>
    <message>
        <source>{name}（{role}）· {counter} 号窗口</source>
        <translation>{name} ({role}) · counter {counter}</translation>
    </message>
    <message>
        <source>培训/演示(&amp;T)</source>
        <translation>&amp;Training/demo</translation>
    </message>
    <message>
        <source>社保卡</source>
        <translation>Social security card</translation>
    </message>
    <message>
        <source>此卡的持卡人未在本库登记：请核对证件后办理参保登记</source>
        <translation>This card’s holder is not on record here: check the documents, then register them</translation>
    </message>
    <message>
        <source>社保卡密码</source>
        <translation>Card PIN</translation>
    </message>
    <message>
        <source>请持卡人输入社保卡密码</source>
        <translation>Ask the card holder to enter the card PIN</translation>
    </message>
    <message>
        <source>请持卡人输入社保卡密码（还可尝试 {n} 次）</source>
        <translation>Ask the card holder to enter the card PIN ({n} tries left)</translation>
    </message>
    <message>
        <source>不可用</source>
        <translation>not ready</translation>
    </message>
    <message>
        <source>就绪</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>上次打印已送出</source>
        <translation>last print sent</translation>
    </message>
    <message>
        <source>上次打印失败</source>
        <translation>last print failed</translation>
    </message>
    <message>
        <source>系统默认</source>
        <translation>system default</translation>
    </message>
    <message>
        <source>打印机：{name}</source>
        <translation>Printer: {name}</translation>
    </message>
    <message>
        <source>（{part}）</source>
        <translation> ({part})</translation>
    </message>
    <message>
        <source>已取消：表单已清空，未办理业务</source>
        <translation>Cancelled: the form was cleared and nothing was done</translation>
    </message>
    <message>
        <source>当前没有凭证：办理业务后即可打印，或在右侧「近期业务」中选择一笔补打</source>
        <translation>No voucher here: finish a business act to print its voucher, or pick one under &quot;Recent business&quot; on the right to reprint</translation>
    </message>
</context>
<context>
    <name>MedicalFilingView</name>
    <message>
        <source>备案类型</source>
        <translation>Filing kind</translation>
    </message>
    <message>
        <source>就医地</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>开始日期</source>
        <translation>Starts on</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>业务流水号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>办理备案(&amp;S)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>变更所选备案(&amp;G)</source>
        <translation>Chan&amp;ge selected filing</translation>
    </message>
    <message>
        <source>所选备案于新开始日期的前一天终止，按上面填写的内容重新备案</source>
        <translation>The selected filing ends the day before the new start; the form above is filed in its place</translation>
    </message>
    <message>
        <source>备案内容</source>
        <translation>Filing</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>Validity</translation>
    </message>
    <message>
        <source>材料（未勾选的打印为尚缺）</source>
        <translation>Materials (unticked ones print as missing)</translation>
    </message>
    <message>
        <source>如：已回参保地居住</source>
        <translation>e.g. back home in the insuring region</translation>
    </message>
    <message>
        <source>取消所选备案(&amp;Q)</source>
        <translation>&amp;Quit selected filing</translation>
    </message>
    <message>
        <source>取消备案</source>
        <translation>Cancel a filing</translation>
    </message>
    <message>
        <source>自此日起取消</source>
        <translation>Cancelled from</translation>
    </message>
    <message>
        <source>取消原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>{name}（{number}）的异地就医备案</source>
        <translation>Care elsewhere filings of {name} ({number})</translation>
    </message>
    <message>
        <source>长期有效</source>
        <translation>Until changed</translation>
    </message>
    <message>
        <source>长期有效，至变更或取消备案时止</source>
        <translation>Long-term: until changed or cancelled</translation>
    </message>
    <message>
        <source>临时备案，有效期至 {day}（{months} 个月）</source>
        <translation>Temporary: valid until {day} ({months} months)</translation>
    </message>
    <message>
        <source>已办理「{act}」，业务流水号 {serial}</source>
        <translation>“{act}” recorded, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>备案类型：{k}</source>
        <translation>Filing kind: {k}</translation>
    </message>
    <message>
        <source>就医地：{d}</source>
        <translation>Destination: {d}</translation>
    </message>
    <message>
        <source>开始日期：{d}</source>
        <translation>Starts on: {d}</translation>
    </message>
    <message>
        <source>有效期至：{d}</source>
        <translation>Valid until: {d}</translation>
    </message>
    <message>
        <source>自 {d} 起取消</source>
        <translation>Cancelled from {d}</translation>
    </message>
    <message>
        <source>尚缺材料：{m}</source>
        <translation>Materials still missing: {m}</translation>
    </message>
</context>
<context>
    <name>NameEdit</name>
    <message>
        <source>输入法打不出的生僻字：输入 U+编码，如 U+20BB7 即「𠮷」</source>
        <translation>A rare character the input method lacks: type U+ and its code, e.g. U+20BB7 for 𠮷</translation>
    </message>
</context>
<context>
    <name>PersonPanel</name>
    <message>
        <source>当前未选择参保人</source>
        <translation>No person selected</translation>
    </message>
    <message>
        <source>打印进度告知单(&amp;Y)</source>
        <translation>Print progress notice (&amp;Y)</translation>
    </message>
    <message>
        <source>办理进度查询：在办事项及下一步，打印给参保人</source>
        <translation>Progress enquiry: open matters and their next steps, printed for the citizen</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>业务</source>
        <translation>Business</translation>
    </message>
    <message>
        <source>流水号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>预览凭证</source>
        <translation>Preview voucher</translation>
    </message>
    <message>
        <source>打印凭证</source>
        <translation>Print voucher</translation>
    </message>
    <message>
        <source>原件已打印过的，打印为补打</source>
        <translation>Once the original has been printed, printing makes a reprint (补打)</translation>
    </message>
    <message>
        <source>近期业务</source>
        <translation>Recent business</translation>
    </message>
    <message>
        <source>社会保障号码：{n}</source>
        <translation>Social security number: {n}</translation>
    </message>
    <message>
        <source>已登记死亡：{d}</source>
        <translation>Recorded deceased: {d}</translation>
    </message>
    <message>
        <source>手机：{p}</source>
        <translation>Mobile: {p}</translation>
    </message>
    <message>
        <source>地址：{a}</source>
        <translation>Address: {a}</translation>
    </message>
    <message>
        <source>参保：{type}，{status}，{start} 起</source>
        <translation>Enrollment: {type}, {status}, since {start}</translation>
    </message>
    <message>
        <source>社保卡：{number} {state}</source>
        <translation>Card: {number} {state}</translation>
    </message>
    <message>
        <source>（未制卡）</source>
        <translation>(not produced yet)</translation>
    </message>
    <message>
        <source>至 {day}</source>
        <translation>until {day}</translation>
    </message>
    <message>
        <source>长期</source>
        <translation>until changed</translation>
    </message>
    <message>
        <source>异地就医备案：{where}，{start} 起{until}</source>
        <translation>Care elsewhere: {where}, from {start}, {until}</translation>
    </message>
    <message>
        <source>退休人员：{day} 退休，退休待遇自 {start} 起</source>
        <translation>Retiree: retired {day}, retiree benefits from {start}</translation>
    </message>
    <message>
        <source>延迟退休登记：缴费年限差 {months}，逐年缴纳</source>
        <translation>Deferred retirement: {months} short, paying year by year</translation>
    </message>
    <message>
        <source>在办事项：无</source>
        <translation>Open matters: none</translation>
    </message>
    <message>
        <source>在办事项：</source>
        <translation>Open matters:</translation>
    </message>
    <message>
        <source>· {business}：{stage}（{since} 起）；{next}</source>
        <translation>· {business}: {stage} (since {since}); {next}</translation>
    </message>
    <message>
        <source>正在打印 {serial}…</source>
        <translation>Printing {serial}…</translation>
    </message>
    <message>
        <source>（已作废）</source>
        <translation>(voided)</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>凭证预览 · {label} · {serial}</source>
        <translation>Voucher preview · {label} · {serial}</translation>
    </message>
    <message>
        <source>打印 (Ctrl+P)</source>
        <translation>Print (Ctrl+P)</translation>
    </message>
</context>
<context>
    <name>RefundForm</name>
    <message>
        <source>居民医保退费申请（待遇享受期开始前）</source>
        <translation>Resident insurance refund request (before benefits begin)</translation>
    </message>
    <message>
        <source>说明（选填），如：迁往外省</source>
        <translation>Note (optional), e.g. moved to another province</translation>
    </message>
    <message>
        <source>提交退费申请(&amp;R)</source>
        <translation>Submit &amp;refund request</translation>
    </message>
    <message>
        <source>退费原因</source>
        <translation>Reason for refund</translation>
    </message>
    <message>
        <source>材料（未勾选的打印为尚缺）</source>
        <translation>Materials (unticked ones print as missing)</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>{category}，待遇享受起始日 {start}</source>
        <translation>{category}, benefits from {start}</translation>
    </message>
</context>
<context>
    <name>RegistrationView</name>
    <message>
        <source>参保人信息</source>
        <translation>Citizen</translation>
    </message>
    <message>
        <source>18 位社会保障号码（居民身份证号码）</source>
        <translation>18-character social security number (resident ID number)</translation>
    </message>
    <message>
        <source>社会保障号码</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <source>新生儿尚无社会保障号码，凭出生医学证明登记</source>
        <translation>Newborn without a social security number: register on the birth certificate</translation>
    </message>
    <message>
        <source>1 个字母加 9 位数字，如 P510123456</source>
        <translation>One letter and 9 digits, e.g. P510123456</translation>
    </message>
    <message>
        <source>出生医学证明编号</source>
        <translation>Birth certificate number</translation>
    </message>
    <message>
        <source>年-月-日，如 2026-11-01</source>
        <translation>Year-month-day, e.g. 2026-11-01</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>民族名称或代码，如 汉族、01</source>
        <translation>Ethnicity name or code, e.g. 汉族, 01</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <source>户籍类别</source>
        <translation>Household registration</translation>
    </message>
    <message>
        <source>户籍地址</source>
        <translation>Household registration address</translation>
    </message>
    <message>
        <source>居住（联系）地址</source>
        <translation>Residence (contact) address</translation>
    </message>
    <message>
        <source>手机号码</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <source>疑似重复（同名同出生日期）</source>
        <translation>Possible duplicates (same name and date of birth)</translation>
    </message>
    <message>
        <source>确认不是同一人的理由，如：已核对双方身份证原件</source>
        <translation>Why this is not the same person, e.g. both ID cards checked</translation>
    </message>
    <message>
        <source>不是同一人的理由</source>
        <translation>Not the same person because</translation>
    </message>
    <message>
        <source>参保缴费</source>
        <translation>Enrollment and contribution</translation>
    </message>
    <message>
        <source>参保类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>缴费日期</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>收到的材料
（未勾选的作为
一次性告知打印）</source>
        <translation>Materials received
(unticked ones print
as still missing)</translation>
    </message>
    <message>
        <source>监护人的社会保障号码（新生儿必填）</source>
        <translation>Guardian’s social security number (required for a newborn)</translation>
    </message>
    <message>
        <source>监护人</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>解除劳动关系证明所载，如 2026-08-31</source>
        <translation>As on the termination certificate, e.g. 2026-08-31</translation>
    </message>
    <message>
        <source>原参保截止日期</source>
        <translation>Last covered day</translation>
    </message>
    <message>
        <source>断保期间费用已补缴</source>
        <translation>Contributions for the gap made up</translation>
    </message>
    <message>
        <source>待遇享受</source>
        <translation>Benefits</translation>
    </message>
    <message>
        <source>受理登记(&amp;S)</source>
        <translation>&amp;Submit registration</translation>
    </message>
    <message>
        <source>已核实，继续登记(&amp;C)</source>
        <translation>&amp;Checked, go on</translation>
    </message>
    <message>
        <source>登记新参保人(&amp;N)</source>
        <translation>Register a &amp;new citizen</translation>
    </message>
    <message>
        <source>登记未在本库登记的参保人，可同时办理参保缴费；新生儿可凭出生医学证明登记</source>
        <translation>Register a citizen not on record, and enroll them at the same time; a newborn may be registered on the birth certificate</translation>
    </message>
    <message>
        <source>为 {name}（{number}）办理参保登记：目前没有有效的参保记录</source>
        <translation>Enroll {name} ({number}): no live enrollment now</translation>
    </message>
    <message>
        <source>{name} 已参保：{what}，{status}，待遇享受起始日 {start}</source>
        <translation>{name} is enrolled: {what}, {status}, benefits from {start}</translation>
    </message>
    <message>
        <source>仅登记，暂不参保</source>
        <translation>Register only, do not enroll yet</translation>
    </message>
    <message>
        <source>出生日期 {birth}，{sex}，{age} 周岁</source>
        <translation>Born {birth}, {sex}, aged {age}</translation>
    </message>
    <message>
        <source>{name}，{number}，{sex}，{birth}</source>
        <translation>{name}, {number}, {sex}, {birth}</translation>
    </message>
    <message>
        <source>正在查找监护人…</source>
        <translation>Looking up the guardian…</translation>
    </message>
    <message>
        <source>监护人未在本库登记，请先为监护人办理登记</source>
        <translation>The guardian is not on record: register the guardian first</translation>
    </message>
    <message>
        <source>{name}（{sex}，{birth}，{age} 周岁）</source>
        <translation>{name} ({sex}, {birth}, aged {age})</translation>
    </message>
    <message>
        <source>请先改正标红的项目</source>
        <translation>Correct the fields marked in red first</translation>
    </message>
    <message>
        <source>仅登记，暂不参保：不办理参保缴费，不产生待遇</source>
        <translation>Register only: no contribution, no benefits</translation>
    </message>
    <message>
        <source>正在计算…</source>
        <translation>Working it out…</translation>
    </message>
    <message>
        <source>填写社会保障号码（或新生儿的出生日期）后显示</source>
        <translation>Shown once the social security number (or a newborn’s date of birth) is filled in</translation>
    </message>
    <message>
        <source>尚不能确定待遇享受起始日：{reason}</source>
        <translation>The benefit start cannot be told yet: {reason}</translation>
    </message>
    <message>
        <source>姓名不能为空</source>
        <translation>The name is required</translation>
    </message>
    <message>
        <source>新生儿凭出生医学证明登记时必填</source>
        <translation>Required when a newborn is registered on the birth certificate</translation>
    </message>
    <message>
        <source>请填写社会保障号码；尚无号码的新生儿请勾选「凭出生医学证明登记」</source>
        <translation>Fill in the social security number; for a newborn without one, tick “register on the birth certificate”</translation>
    </message>
    <message>
        <source>正在查找监护人，请稍候再提交</source>
        <translation>Still looking up the guardian; submit again in a moment</translation>
    </message>
    <message>
        <source>请先改正标红的项目：{text}</source>
        <translation>Correct the fields marked in red first: {text}</translation>
    </message>
    <message>
        <source>请选择参保类别</source>
        <translation>Choose a category</translation>
    </message>
    <message>
        <source>正在受理…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <source>。核实后按「已核实，继续登记」(Alt+C)；什么也没有保存</source>
        <translation>. Once checked, press “Checked, go on” (Alt+C); nothing has been saved</translation>
    </message>
    <message>
        <source>已受理{name}的参保登记，业务流水号 {serial}</source>
        <translation>Registration of {name} accepted, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>参保人：{name}，{sex}，{birth}</source>
        <translation>Citizen: {name}, {sex}, {birth}</translation>
    </message>
    <message>
        <source>{kind}：{number}</source>
        <translation>{kind}: {number}</translation>
    </message>
    <message>
        <source>户籍类别：{h}</source>
        <translation>Household registration: {h}</translation>
    </message>
    <message>
        <source>监护人：{name}（{number}）</source>
        <translation>Guardian: {name} ({number})</translation>
    </message>
    <message>
        <source>仅登记，暂未参保</source>
        <translation>Registered only, not enrolled yet</translation>
    </message>
    <message>
        <source>参保类别：{c}</source>
        <translation>Category: {c}</translation>
    </message>
    <message>
        <source>缴费日期：{d}</source>
        <translation>Paid on: {d}</translation>
    </message>
    <message>
        <source>待遇享受起始日：{d}</source>
        <translation>Benefits from: {d}</translation>
    </message>
    <message>
        <source>一次性告知，尚缺：{m}</source>
        <translation>Still to bring: {m}</translation>
    </message>
    <message>
        <source>已提交{name}的退费申请（{reason}），业务流水号 {serial}，待复核</source>
        <translation>Refund request for {name} ({reason}) submitted, serial {serial}, awaiting review</translation>
    </message>
    <message>
        <source>退费原因：{r}</source>
        <translation>Reason for refund: {r}</translation>
    </message>
    <message>
        <source>参保类别：{c}，待遇享受起始日 {d}</source>
        <translation>Category: {c}, benefits from {d}</translation>
    </message>
    <message>
        <source>状态：{s}</source>
        <translation>State: {s}</translation>
    </message>
</context>
<context>
    <name>RepresentativeForm</name>
    <message>
        <source>由{role}办理</source>
        <translation>Done by a {role}</translation>
    </message>
    <message>
        <source>如：配偶、父亲、子女</source>
        <translation>e.g. spouse, father, child</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>Identity number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>与本人关系</source>
        <translation>Relation to the citizen</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>RetirementView</name>
    <message>
        <source>选填，如 1986-07</source>
        <translation>Optional, e.g. 1986-07</translation>
    </message>
    <message>
        <source>选填，如 1996-12</source>
        <translation>Optional, e.g. 1996-12</translation>
    </message>
    <message>
        <source>办理在职转退休(&amp;T)</source>
        <translation>Record re&amp;tirement</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>退休日期（退休审批）</source>
        <translation>Retirement date (pension approval)</translation>
    </message>
    <message>
        <source>视同缴费期间（退休审批表）</source>
        <translation>Deemed contribution period (approval form)</translation>
    </message>
    <message>
        <source>缴费年限清算</source>
        <translation>Contribution years</translation>
    </message>
    <message>
        <source>年限不足时</source>
        <translation>If years are short</translation>
    </message>
    <message>
        <source>{name}（{sex}，{birth} 生）</source>
        <translation>{name} ({sex}, born {birth})</translation>
    </message>
    <message>
        <source>；{outcome}（{day}，业务流水号 {serial}）</source>
        <translation>; {outcome} ({day}, serial {serial})</translation>
    </message>
    <message>
        <source>累计缴费 {have}，应达 {need}：{verdict}</source>
        <translation>Total contributions {have}, required {need}: {verdict}</translation>
    </message>
    <message>
        <source>其中本地实际缴费 {have}，应达 {need}：{verdict}</source>
        <translation>Of which actually paid here {have}, required {need}: {verdict}</translation>
    </message>
    <message>
        <source>转入 {transferred}，视同缴费 {deemed}</source>
        <translation>Transferred in {transferred}, deemed {deemed}</translation>
    </message>
    <message>
        <source>符合条件：{rule}，退休待遇自 {day} 起</source>
        <translation>Qualified: {rule}; retiree benefits from {day}</translation>
    </message>
    <message>
        <source>缴费年限不足，还差 {short}：一次性趸缴 {total} 元，或延迟退休登记，逐年缴纳 {years} 年（每年 {yearly} 元）</source>
        <translation>Contribution years short by {short}: a lump sum of {total} yuan, or deferred retirement paying {years} years ({yearly} yuan a year)</translation>
    </message>
    <message>
        <source>达到</source>
        <translation>met</translation>
    </message>
    <message>
        <source>差 {months}</source>
        <translation>short by {months}</translation>
    </message>
    <message>
        <source>已办理：{outcome}，业务流水号 {serial}</source>
        <translation>Done: {outcome}, serial {serial}</translation>
    </message>
    <message>
        <source>业务流水号：{s}</source>
        <translation>Serial: {s}</translation>
    </message>
    <message>
        <source>退休日期：{day}</source>
        <translation>Retirement date: {day}</translation>
    </message>
    <message>
        <source>累计缴费 {total}，其中本地实际缴费 {local}</source>
        <translation>Total contributions {total}, of which actually paid here {local}</translation>
    </message>
    <message>
        <source>退休待遇自 {day} 起</source>
        <translation>Retiree benefits from {day}</translation>
    </message>
    <message>
        <source>差 {short}，应缴 {total} 元</source>
        <translation>Short by {short}, {total} yuan to pay</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>{name} 的退费申请：{verdict}，业务流水号 {serial}</source>
        <translation>Refund request of {name}: {verdict}, serial {serial}</translation>
    </message>
    <message>
        <source>已通过</source>
        <translation>approved</translation>
    </message>
    <message>
        <source>已驳回</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>{name} 的更正申请{verdict}，业务流水号 {serial}</source>
        <translation>Correction request of {name} {verdict}, serial {serial}</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>本人提交的申请须由其他复核员复核</source>
        <translation>Your own request must be reviewed by another supervisor</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>变更前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>变更后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>复核意见（驳回时必填）</source>
        <translation>Review comment (required to reject)</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>驳回</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>待复核的参保信息更正</source>
        <translation>Corrections awaiting review</translation>
    </message>
    <message>
        <source>核准退费</source>
        <translation>Approve refund</translation>
    </message>
    <message>
        <source>驳回退费</source>
        <translation>Reject refund</translation>
    </message>
    <message>
        <source>待复核的居民医保退费申请</source>
        <translation>Resident insurance refund requests awaiting review</translation>
    </message>
    <message>
        <source>参保信息更正</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <source>居民医保退费</source>
        <translation>Resident refunds</translation>
    </message>
    <message>
        <source>个人账户继承</source>
        <translation>Account inheritance</translation>
    </message>
    <message>
        <source>个人账户继承（{n}）</source>
        <translation>Account inheritance ({n})</translation>
    </message>
    <message>
        <source>{name}（{id}）：{fields}，{who} 于 {at} 提交</source>
        <translation>{name} ({id}): {fields}, submitted by {who} at {at}</translation>
    </message>
    <message>
        <source>没有待复核的申请</source>
        <translation>No request awaits review</translation>
    </message>
    <message>
        <source>变更原因：{reason}；查验材料：{documents}</source>
        <translation>Reason: {reason}; documents seen: {documents}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>居民医保退费（{n}）</source>
        <translation>Resident refunds ({n})</translation>
    </message>
    <message>
        <source>{name}（{id}）：{reason}，待遇自 {start} 起，{who} 于 {at} 提交</source>
        <translation>{name} ({id}): {reason}, benefits from {start}, submitted by {who} at {at}</translation>
    </message>
    <message>
        <source>没有待复核的退费申请</source>
        <translation>No refund requests awaiting review</translation>
    </message>
    <message>
        <source>本人提交的申请须由其他复核员复核：复核人不能是申请人本人</source>
        <translation>Your own request must be reviewed by another supervisor: the reviewer cannot be the submitter</translation>
    </message>
    <message>
        <source>核准后该笔居民医保参保终止（待遇享受起始日 {start} 前退费）</source>
        <translation>Approval ends this resident enrollment (refunded before benefits begin on {start})</translation>
    </message>
</context>
<context>
    <name>ServedPerson</name>
    <message>
        <source>未能重新读取参保人信息：{reason}</source>
        <translation>Could not read the insured person again: {reason}</translation>
    </message>
    <message>
        <source>请先在「参保人查询」中打开参保人，或插入社保卡</source>
        <translation>Open a person in Person lookup first, or insert the card</translation>
    </message>
    <message>
        <source>{years} 年 {months} 个月</source>
        <translation>{years} y {months} m</translation>
    </message>
    <message>
        <source>{years} 年</source>
        <translation>{years} y</translation>
    </message>
    <message>
        <source>{months} 个月</source>
        <translation>{months} m</translation>
    </message>
    <message>
        <source>本系统无缴费月份记录</source>
        <translation>No contribution months on record</translation>
    </message>
    <message>
        <source>本地 {m}</source>
        <translation>local {m}</translation>
    </message>
    <message>
        <source>转入 {m}</source>
        <translation>transferred in {m}</translation>
    </message>
    <message>
        <source>视同缴费 {m}</source>
        <translation>deemed {m}</translation>
    </message>
    <message>
        <source>累计缴费 {total}（{parts}）</source>
        <translation>Contributions {total} ({parts})</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>修改所选用户的角色</source>
        <translation>Change the selected user&apos;s role</translation>
    </message>
    <message>
        <source>停用/启用所选用户</source>
        <translation>Disable/enable the selected user</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>Add user</translation>
    </message>
    <message>
        <source>用户与角色</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <source>本窗口设置</source>
        <translation>This counter</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>active</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>disabled</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>medins-desk 登录</source>
        <translation>medins-desk sign-in</translation>
    </message>
    <message>
        <source>{hall} · {counter} 号窗口</source>
        <translation>{hall} · counter {counter}</translation>
    </message>
    <message>
        <source>正在连接数据库……</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>确认密码</source>
        <translation>Confirm password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>首次启动：创建管理员</source>
        <translation>First start: create the administrator</translation>
    </message>
    <message>
        <source>创建并登录</source>
        <translation>Create and sign in</translation>
    </message>
    <message>
        <source>数据库中还没有用户，请先创建管理员账户。</source>
        <translation>The database has no users yet; create the administrator account first.</translation>
    </message>
    <message>
        <source>正在后台重试（每 {seconds} 秒），连上后即可登录。</source>
        <translation>Retrying in the background (every {seconds} s); you can sign in once it connects.</translation>
    </message>
    <message>
        <source>无法使用数据库</source>
        <translation>The database cannot be used</translation>
    </message>
    <message>
        <source>本窗口不能办理业务，程序将退出。</source>
        <translation>This counter cannot serve anyone; the program will close.</translation>
    </message>
</context>
<context>
    <name>SignInModel</name>
    <message>
        <source>请输入用户名</source>
        <translation>Enter the user name</translation>
    </message>
    <message>
        <source>请输入密码</source>
        <translation>Enter the password</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
</context>
<context>
    <name>TransferModel</name>
    <message>
        <source>{what}，业务流水号 {serial}</source>
        <translation>{what}, serial {serial}</translation>
    </message>
</context>
<context>
    <name>TransferView</name>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>对方经办机构</source>
        <translation>Other agency</translation>
    </message>
    <message>
        <source>当前环节</source>
        <translation>Current step</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>所选案件的下一步</source>
        <translation>Next step of the selected case</translation>
    </message>
    <message>
        <source>登记转入地联系函</source>
        <translation>Record the new region&apos;s contact letter</translation>
    </message>
    <message>
        <source>出具信息表</source>
        <translation>Issue the information form</translation>
    </message>
    <message>
        <source>元，如 1234.56</source>
        <translation>yuan, e.g. 1234.56</translation>
    </message>
    <message>
        <source>登记信息表</source>
        <translation>Record the information form</translation>
    </message>
    <message>
        <source>转入办结</source>
        <translation>Complete the transfer in</translation>
    </message>
    <message>
        <source>联系函日期</source>
        <translation>Letter date</translation>
    </message>
    <message>
        <source>来函机构</source>
        <translation>Letter from</translation>
    </message>
    <message>
        <source>联系函编号</source>
        <translation>Letter number</translation>
    </message>
    <message>
        <source>信息表收到日期</source>
        <translation>Form received on</translation>
    </message>
    <message>
        <source>实际缴费月数</source>
        <translation>Months contributed</translation>
    </message>
    <message>
        <source>视同缴费月数</source>
        <translation>Months deemed</translation>
    </message>
    <message>
        <source>个人账户余额</source>
        <translation>Personal account balance</translation>
    </message>
    <message>
        <source>为当前参保人办理</source>
        <translation>For the person at the counter</translation>
    </message>
    <message>
        <source>对方经办机构名称</source>
        <translation>Name of the other agency</translation>
    </message>
    <message>
        <source>对方统筹区代码（6位）</source>
        <translation>Other region code (6 digits)</translation>
    </message>
    <message>
        <source>暂停原因，如：到外地就业</source>
        <translation>Reason for suspending, e.g. work in another region</translation>
    </message>
    <message>
        <source>暂停本地参保(&amp;Z)</source>
        <translation>Suspend local enrollment (&amp;Z)</translation>
    </message>
    <message>
        <source>转出：开具参保凭证(&amp;O)</source>
        <translation>Transfer &amp;out: issue the certificate</translation>
    </message>
    <message>
        <source>转入：登记参保凭证并发联系函(&amp;N)</source>
        <translation>Transfer i&amp;n: record the certificate and send the letter</translation>
    </message>
    <message>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <source>对方统筹区</source>
        <translation>Other region</translation>
    </message>
    <message>
        <source>参保凭证开具日期</source>
        <translation>Certificate issued on</translation>
    </message>
    <message>
        <source>原参保起止</source>
        <translation>Enrolled there from – to</translation>
    </message>
    <message>
        <source>为 {name} 办理</source>
        <translation>For {name}</translation>
    </message>
    <message>
        <source>为当前参保人办理（请先打开参保人）</source>
        <translation>For the person at the counter (open a person first)</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>overdue</translation>
    </message>
    <message>
        <source>已登记联系函</source>
        <translation>Contact letter recorded</translation>
    </message>
    <message>
        <source>已出具信息表</source>
        <translation>Information form issued</translation>
    </message>
    <message>
        <source>已登记信息表</source>
        <translation>Information form recorded</translation>
    </message>
    <message>
        <source>转入已办结</source>
        <translation>Transfer in completed</translation>
    </message>
    <message>
        <source>已暂停本地参保</source>
        <translation>Local enrollment suspended</translation>
    </message>
    <message>
        <source>已开具参保凭证</source>
        <translation>Certificate issued</translation>
    </message>
    <message>
        <source>已受理转入并发出联系函</source>
        <translation>Transfer in accepted and the contact letter sent</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>已新增用户 {u}</source>
        <translation>User {u} added</translation>
    </message>
    <message>
        <source>已修改 {u} 的角色</source>
        <translation>Role of {u} changed</translation>
    </message>
    <message>
        <source>已启用 {u}</source>
        <translation>{u} enabled</translation>
    </message>
    <message>
        <source>已停用 {u}</source>
        <translation>{u} disabled</translation>
    </message>
</context>
<context>
    <name>ViewModel</name>
    <message>
        <source>上一位参保人的业务已办结，业务流水号 {serial}；凭证可在其「近期业务」中补打</source>
        <translation>The previous person&apos;s business is done, serial {serial}; reprint its voucher from their Recent business</translation>
    </message>
    <message>
        <source>上一位参保人的业务未办成：{reason}</source>
        <translation>The previous person&apos;s business was not done: {reason}</translation>
    </message>
</context>
<context>
    <name>VoucherBar</name>
    <message>
        <source>预览凭证</source>
        <translation>Preview voucher</translation>
    </message>
    <message>
        <source>打印凭证 (Ctrl+P)</source>
        <translation>Print voucher (Ctrl+P)</translation>
    </message>
    <message>
        <source>正在生成凭证…</source>
        <translation>Producing the voucher…</translation>
    </message>
    <message>
        <source>{label}（{serial}）已存档；按 Ctrl+P 或「打印凭证」打印</source>
        <translation>{label} ({serial}) archived; press Ctrl+P or &quot;Print voucher&quot; to print</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>发生了意外错误，已记录日志；请重试或联系管理员</source>
        <translation>An unexpected error occurred and was logged; try again or call the administrator</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
</context>
<context>
    <name>label</name>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>社保卡申领</source>
        <translation>Card application</translation>
    </message>
    <message>
        <source>社保卡领取</source>
        <translation>Card pick-up</translation>
    </message>
    <message>
        <source>临时挂失</source>
        <translation>Reported lost (temporary)</translation>
    </message>
    <message>
        <source>正式挂失</source>
        <translation>Reported lost (formal)</translation>
    </message>
    <message>
        <source>解挂</source>
        <translation>Unfreeze</translation>
    </message>
    <message>
        <source>参保信息变更</source>
        <translation>Enrollment correction</translation>
    </message>
    <message>
        <source>信息变更复核</source>
        <translation>Correction review</translation>
    </message>
    <message>
        <source>险种参保登记</source>
        <translation>Enrollment in a scheme</translation>
    </message>
    <message>
        <source>参保状态变更</source>
        <translation>Enrollment status change</translation>
    </message>
    <message>
        <source>居民医保退费申请</source>
        <translation>Resident insurance refund request</translation>
    </message>
    <message>
        <source>退费复核</source>
        <translation>Refund review</translation>
    </message>
    <message>
        <source>医保关系转出</source>
        <translation>Coverage transfer out</translation>
    </message>
    <message>
        <source>医保关系转入</source>
        <translation>Coverage transfer in</translation>
    </message>
    <message>
        <source>办理进度告知</source>
        <translation>Progress notice</translation>
    </message>
    <message>
        <source>社保卡信息改写</source>
        <translation>Card rewrite</translation>
    </message>
    <message>
        <source>异地就医备案</source>
        <translation>Filing for care elsewhere</translation>
    </message>
    <message>
        <source>异地就医备案变更</source>
        <translation>Care elsewhere filing change</translation>
    </message>
    <message>
        <source>取消异地就医备案</source>
        <translation>Care elsewhere filing cancelled</translation>
    </message>
    <message>
        <source>个人账户余额继承申请</source>
        <translation>Account balance inheritance request</translation>
    </message>
    <message>
        <source>个人账户继承复核</source>
        <translation>Account inheritance review</translation>
    </message>
    <message>
        <source>参保缴费证明开具</source>
        <translation>Enrollment and contribution certificate</translation>
    </message>
    <message>
        <source>职工医保在职转退休</source>
        <translation>Employee insurance retirement</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>申领受理</source>
        <translation>Application accepted</translation>
    </message>
    <message>
        <source>制卡中</source>
        <translation>In production</translation>
    </message>
    <message>
        <source>待领取</source>
        <translation>Ready for pick-up</translation>
    </message>
    <message>
        <source>注销</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>制卡</source>
        <translation>Produce</translation>
    </message>
    <message>
        <source>制卡完成</source>
        <translation>Production finished</translation>
    </message>
    <message>
        <source>领卡</source>
        <translation>Pick up</translation>
    </message>
    <message>
        <source>即时制卡</source>
        <translation>Instant issuance</translation>
    </message>
    <message>
        <source>临时挂失到期</source>
        <translation>Temporary report expired</translation>
    </message>
    <message>
        <source>补领/换领</source>
        <translation>Reissue/replacement</translation>
    </message>
    <message>
        <source>首次申领</source>
        <translation>First card</translation>
    </message>
    <message>
        <source>补领</source>
        <translation>Reissue after loss</translation>
    </message>
    <message>
        <source>换领</source>
        <translation>Replacement</translation>
    </message>
    <message>
        <source>卡片故障</source>
        <translation>Card fault</translation>
    </message>
    <message>
        <source>个人信息变更</source>
        <translation>Personal details changed</translation>
    </message>
    <message>
        <source>有效期满</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>人为损坏</source>
        <translation>Damaged</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>代办人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>监护人</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>Self</translation>
    </message>
    <message>
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>父母</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>子女</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>即时生效</source>
        <translation>Effective at once</translation>
    </message>
    <message>
        <source>身份信息（需复核）</source>
        <translation>Identity details (needs review)</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>联系地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>邮政编码</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>银行扣款账户</source>
        <translation>Bank debit account</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>社会保障号码</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>户口簿</source>
        <translation>Household register</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident identity card</translation>
    </message>
    <message>
        <source>公安机关证明</source>
        <translation>Police certificate</translation>
    </message>
    <message>
        <source>出生医学证明</source>
        <translation>Medical birth certificate</translation>
    </message>
    <message>
        <source>结婚证</source>
        <translation>Marriage certificate</translation>
    </message>
    <message>
        <source>其他证明材料</source>
        <translation>Other supporting document</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>待复核</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>已生效</source>
        <translation>In effect</translation>
    </message>
    <message>
        <source>已驳回</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已撤销</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>提交复核</source>
        <translation>Submit for review</translation>
    </message>
    <message>
        <source>复核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>生效</source>
        <translation>Take effect</translation>
    </message>
    <message>
        <source>驳回</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>职工医保</source>
        <translation>Employee medical insurance</translation>
    </message>
    <message>
        <source>城乡居民医保</source>
        <translation>Resident medical insurance</translation>
    </message>
    <message>
        <source>参保缴费</source>
        <translation>Contributing</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>终止</source>
        <translation>Terminated</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>HK/Macao/Taiwan resident permit</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreigner&apos;s permanent residence ID card</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>经办员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>复核员/主管</source>
        <translation>Reviewer/supervisor</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>办理业务</source>
        <translation>Handle business</translation>
    </message>
    <message>
        <source>查询参保人</source>
        <translation>Look up insured persons</translation>
    </message>
    <message>
        <source>复核信息变更</source>
        <translation>Review corrections</translation>
    </message>
    <message>
        <source>作废业务</source>
        <translation>Void business</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>导出台账</source>
        <translation>Export the ledger</translation>
    </message>
    <message>
        <source>管理用户</source>
        <translation>Manage users</translation>
    </message>
    <message>
        <source>医保办发〔2021〕43号</source>
        <translation>NHSA Office Doc. [2021] No. 43</translation>
    </message>
    <message>
        <source>人社部发〔2009〕191号（2016 规程）</source>
        <translation>MOHRSS Doc. [2009] No. 191 (2016 procedure)</translation>
    </message>
    <message>
        <source>转出</source>
        <translation>Out</translation>
    </message>
    <message>
        <source>转入</source>
        <translation>In</translation>
    </message>
    <message>
        <source>参保凭证已开具</source>
        <translation>Certificate issued</translation>
    </message>
    <message>
        <source>联系函已收到</source>
        <translation>Contact letter received</translation>
    </message>
    <message>
        <source>联系函已发出</source>
        <translation>Contact letter sent</translation>
    </message>
    <message>
        <source>信息表已收到</source>
        <translation>Information form received</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>登记联系函</source>
        <translation>Record contact letter</translation>
    </message>
    <message>
        <source>出具信息表并划转个人账户</source>
        <translation>Issue information form and transfer the account</translation>
    </message>
    <message>
        <source>登记信息表及划转资金</source>
        <translation>Record information form and transferred funds</translation>
    </message>
    <message>
        <source>转入办结（记入缴费年限及个人账户）</source>
        <translation>Close transfer in (credit years and account)</translation>
    </message>
    <message>
        <source>参保凭证</source>
        <translation>Insurance certificate</translation>
    </message>
    <message>
        <source>联系函</source>
        <translation>Contact letter</translation>
    </message>
    <message>
        <source>信息表</source>
        <translation>Information form</translation>
    </message>
    <message>
        <source>社会保障卡申领受理回执</source>
        <translation>Card application receipt</translation>
    </message>
    <message>
        <source>社会保障卡申领受理回执（小票）</source>
        <translation>Card application receipt (80 mm)</translation>
    </message>
    <message>
        <source>社会保障卡领取凭证</source>
        <translation>Social security card handover voucher</translation>
    </message>
    <message>
        <source>参保登记回执</source>
        <translation>Enrollment receipt</translation>
    </message>
    <message>
        <source>参保状态变更回执</source>
        <translation>Enrollment status change receipt</translation>
    </message>
    <message>
        <source>居民医保退费申请回执</source>
        <translation>Resident insurance refund request receipt</translation>
    </message>
    <message>
        <source>办理进度告知单</source>
        <translation>Progress notice</translation>
    </message>
    <message>
        <source>社会保障卡信息改写回执</source>
        <translation>Card rewrite receipt</translation>
    </message>
    <message>
        <source>申领医保个人账户余额承诺书</source>
        <translation>Undertaking for the personal account balance</translation>
    </message>
    <message>
        <source>个人账户余额继承支付通知（复核结果）</source>
        <translation>Account inheritance payment notice (review result)</translation>
    </message>
    <message>
        <source>挂失回执</source>
        <translation>Loss report receipt</translation>
    </message>
    <message>
        <source>参保信息变更确认单</source>
        <translation>Correction confirmation</translation>
    </message>
    <message>
        <source>基本医疗保险参保凭证</source>
        <translation>Basic medical insurance certificate</translation>
    </message>
    <message>
        <source>基本医疗保险关系转移接续联系函</source>
        <translation>Coverage transfer contact letter</translation>
    </message>
    <message>
        <source>参保人员基本医疗保险类型变更信息表</source>
        <translation>Coverage type change information form</translation>
    </message>
    <message>
        <source>异地就医备案回执</source>
        <translation>Care elsewhere filing receipt</translation>
    </message>
    <message>
        <source>参保（缴费）证明</source>
        <translation>Enrollment (contribution) certificate</translation>
    </message>
    <message>
        <source>职工医保在职转退休审核回执</source>
        <translation>Employee insurance retirement receipt</translation>
    </message>
    <message>
        <source>城乡居民（少年儿童）</source>
        <translation>Resident (child)</translation>
    </message>
    <message>
        <source>城乡居民（在校学生）</source>
        <translation>Resident (student)</translation>
    </message>
    <message>
        <source>城乡居民（老年居民）</source>
        <translation>Resident (elderly)</translation>
    </message>
    <message>
        <source>城乡居民（其他居民）</source>
        <translation>Resident (other)</translation>
    </message>
    <message>
        <source>城乡居民（新生儿）</source>
        <translation>Resident (newborn)</translation>
    </message>
    <message>
        <source>职工医保（灵活就业人员）</source>
        <translation>Employee insurance (flexible employment)</translation>
    </message>
    <message>
        <source>职工医保（离职后个人续保）</source>
        <translation>Employee insurance (continued as an individual after leaving a job)</translation>
    </message>
    <message>
        <source>本地户籍</source>
        <translation>Local household registration</translation>
    </message>
    <message>
        <source>外地户籍</source>
        <translation>Household registered elsewhere</translation>
    </message>
    <message>
        <source>户口迁出本统筹区</source>
        <translation>Household registration moved out of the region</translation>
    </message>
    <message>
        <source>出国（境）定居</source>
        <translation>Settled abroad</translation>
    </message>
    <message>
        <source>参保人死亡</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>就业参加职工医保</source>
        <translation>Employed, enrolled in employee insurance</translation>
    </message>
    <message>
        <source>已核准退费</source>
        <translation>Refund approved</translation>
    </message>
    <message>
        <source>异地长期居住</source>
        <translation>Living elsewhere long-term</translation>
    </message>
    <message>
        <source>常驻异地工作</source>
        <translation>Working elsewhere</translation>
    </message>
    <message>
        <source>异地安置退休</source>
        <translation>Retired elsewhere</translation>
    </message>
    <message>
        <source>异地转诊</source>
        <translation>Referral elsewhere</translation>
    </message>
    <message>
        <source>临时外出就医</source>
        <translation>Temporary care elsewhere</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>已变更</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>已到期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>居民死亡医学证明（推断）书</source>
        <translation>Medical certificate of death</translation>
    </message>
    <message>
        <source>火化证明</source>
        <translation>Cremation certificate</translation>
    </message>
    <message>
        <source>户口注销证明</source>
        <translation>Household registration cancellation certificate</translation>
    </message>
    <message>
        <source>兄弟姐妹</source>
        <translation>Sibling</translation>
    </message>
    <message>
        <source>祖父母、外祖父母</source>
        <translation>Grandparent</translation>
    </message>
    <message>
        <source>孙子女、外孙子女</source>
        <translation>Grandchild</translation>
    </message>
    <message>
        <source>已核准支付</source>
        <translation>Payment approved</translation>
    </message>
    <message>
        <source>参保证明</source>
        <translation>Enrollment certificate</translation>
    </message>
    <message>
        <source>参保缴费证明</source>
        <translation>Enrollment and contribution certificate</translation>
    </message>
    <message>
        <source>本地缴费</source>
        <translation>Paid locally</translation>
    </message>
    <message>
        <source>视同缴费</source>
        <translation>Deemed contributions</translation>
    </message>
    <message>
        <source>已转入本地</source>
        <translation>Transferred in</translation>
    </message>
    <message>
        <source>符合条件，办理在职转退休</source>
        <translation>Qualified, retired</translation>
    </message>
    <message>
        <source>一次性趸缴后办理在职转退休</source>
        <translation>Retired after a lump-sum payment</translation>
    </message>
    <message>
        <source>延迟退休登记（逐年缴纳）</source>
        <translation>Deferred retirement (paying year by year)</translation>
    </message>
    <message>
        <source>退休时处于享受待遇状态且按时办理，待遇连续享受</source>
        <translation>Covered at retirement and done in time: benefits continue</translation>
    </message>
    <message>
        <source>退休时处于享受待遇状态但超期办理，自办理次月起享受</source>
        <translation>Covered at retirement but done late: benefits from the month after</translation>
    </message>
    <message>
        <source>退休时未处于享受待遇状态，办理后等待期满起享受</source>
        <translation>Not covered at retirement: benefits after the waiting months</translation>
    </message>
</context>
</TS>
