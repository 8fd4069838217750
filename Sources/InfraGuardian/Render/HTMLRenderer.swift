import CCmarkGFM
import Foundation

/// Markdown → HTML through cmark-gfm with the table extension, wrapped in a small standalone page.
public enum HTMLRenderer {
    public static func render(markdown: String, title: String = "Infrastructure Audit Report") -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(escape(title))</title>\n"
            + "<style>\(style)</style>\n</head>\n<body>\n\(fragment(markdown))</body>\n</html>\n"
    }

    /// The HTML body for a Markdown text (GFM tables on, raw HTML in the input escaped).
    public static func fragment(_ markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT
        guard let parser = cmark_parser_new(options) else { return "<pre>\(escape(markdown))</pre>" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        let bytes = Array(markdown.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else { return "<pre>\(escape(markdown))</pre>" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return "<pre>\(escape(markdown))</pre>"
        }
        defer { free(html) }
        return String(cString: html)
    }

    static func escape(_ text: String) -> String {
        htmlEscapes.apply(text)
    }

    private static let htmlEscapes = ASCIIReplacements(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])

    private static let style = """
    body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
    table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
    th{background:#f6f8fa}code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}h2{margin-top:2rem}
    """
}
