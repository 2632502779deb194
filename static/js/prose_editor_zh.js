// Chinese for the article body editor (django-prose-editor). The editor takes dialog texts from
// window.gettext, which this file provides before the editor's modules load; its toolbar titles
// and menu entries are fixed English, so they are translated as they appear in the page.
// Only for Chinese pages (<html lang="zh-…">); English admin pages keep the editor's English.
(function () {
  "use strict";
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  if (lang.indexOf("zh") !== 0) { return; }

  var ZH = {
    // toolbar buttons (titles and screen-reader labels)
    "paragraph": "正文段落", "Paragraph": "正文段落",
    "Heading 1": "一级标题", "Heading 2": "二级标题", "Heading 3": "三级标题", "Heading 4": "四级标题",
    "Heading 5": "五级标题", "Heading 6": "六级标题", "title": "标题",
    "bold": "加粗", "italic": "斜体", "underline": "下划线", "strike": "删除线",
    "subscript": "下标", "superscript": "上标",
    "unordered list": "项目符号列表", "ordered list": "编号列表", "blockquote": "引用",
    "horizontal rule": "分隔线", "figure": "插入图片", "insert link": "插入链接", "remove link": "移除链接",
    "Insert table": "插入表格", "Merge cells": "合并单元格", "Split cell": "拆分单元格",
    "undo": "撤销", "redo": "重做", "Code": "代码", "Code block": "代码块", "edit HTML": "编辑 HTML",
    "Toggle fullscreen": "全屏编辑", "Reset all classes": "清除样式",
    // dialogs (through window.gettext)
    "Image URL": "图片地址", "Alternative Text": "图片说明（供读屏软件朗读）", "Caption": "图注",
    "Edit Figure": "编辑图片", "Insert Figure": "插入图片", "Update": "更新", "Insert": "插入",
    "Edit HTML": "编辑 HTML", "Prettify": "整理格式", "URL": "链接地址", "Title": "标题",
    "Open in new window": "在新窗口打开", "Edit Link": "编辑链接", "List properties": "列表设置",
    "Decimal numbers": "1、2、3", "Lowercase letters": "a、b、c", "Uppercase letters": "A、B、C",
    "Lowercase Roman numerals": "i、ii、iii", "Uppercase Roman numerals": "I、II、III",
    "Start at": "起始编号", "List type": "编号样式", "Rows": "行数", "Columns": "列数",
    "Include header row": "包含表头行", "Table Properties": "表格设置", "Insert Table": "插入表格",
    "Cancel": "取消", "Add row before": "在上方插入行", "Add row after": "在下方插入行",
    "Delete row": "删除行", "Add column before": "在左侧插入列", "Add column after": "在右侧插入列",
    "Delete column": "删除列", "Delete table": "删除表格", "Toggle header cell": "切换表头单元格"
  };

  var prior = window.gettext;
  window.gettext = function (text) {
    if (Object.prototype.hasOwnProperty.call(ZH, text)) { return ZH[text]; }
    return prior ? prior(text) : text;
  };

  function translate(el) {
    ["title", "aria-label"].forEach(function (attr) {
      var value = el.getAttribute(attr);
      if (value && Object.prototype.hasOwnProperty.call(ZH, value)) { el.setAttribute(attr, ZH[value]); }
    });
    // Menu entries ("Paragraph", "Heading 2" …) are plain text; icon buttons keep their ligature names.
    if (!el.classList.contains("material-icons") && el.childNodes.length === 1 && el.firstChild.nodeType === 3) {
      var text = el.firstChild.nodeValue.trim();
      if (Object.prototype.hasOwnProperty.call(ZH, text)) { el.firstChild.nodeValue = ZH[text]; }
    }
  }

  function sweep(root) {
    if (!root.querySelectorAll) { return; }
    var scope = root.closest && root.closest(".prose-editor, .prose-menubar, .prose-editor-dialog, .prose-menubar__picker");
    var nodes = root.querySelectorAll(".prose-editor *, .prose-menubar *, .prose-editor-dialog *, .prose-menubar__picker *");
    if (scope) { translate(root); }
    for (var i = 0; i < nodes.length; i++) { translate(nodes[i]); }
  }

  var observer = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { sweep(node); } });
      if (record.type === "attributes" && record.target.nodeType === 1) { translate(record.target); }
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    sweep(document.body);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["title"] });
  });
})();
