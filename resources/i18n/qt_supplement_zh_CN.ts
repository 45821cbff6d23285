<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that its zh_CN catalogue (qtbase_zh_CN.qm, shipped with PySide6) lacks:
     Qt 6 changed these sources and the catalogue still translates only the old ones. Loaded
     after qtbase in the Chinese interface (ui/app.py); tests/gui/test_qt_chinese.py finds any
     new one. Keys are (context, source, comment) exactly as Qt asks for them. -->
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
</context>
</TS>
