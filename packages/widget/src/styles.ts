// All of the widget's CSS, inside its Shadow DOM: the host page's styles cannot reach in, ours cannot leak out.
export const css = (color: string, side: 'left' | 'right') => `
:host{all:initial}
[hidden]{display:none!important}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;line-height:1.4;margin:0}
.launcher{position:fixed;bottom:20px;${side}:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:${color};color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483000}
.launcher svg{width:28px;height:28px;fill:#fff}
.launcher .dot{position:absolute;top:2px;right:2px;width:14px;height:14px;border-radius:50%;border:2px solid #fff;background:#9ca3af}
.launcher .dot.on{background:#22c55e}
.panel{position:fixed;bottom:88px;${side}:20px;width:370px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 110px);background:#fff;color:#111827;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483000}
.panel.open{display:flex}
.head{background:${color};color:#fff;padding:14px 16px}
.head h2{font-size:16px;font-weight:600;color:#fff}
.head p{font-size:12px;opacity:.9;color:#fff}
.head .x{float:right;background:none;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}
.banner{background:#fef3c7;color:#78350f;padding:6px 12px;font-size:12px}
.list{flex:1;overflow-y:auto;padding:12px;background:#f9fafb;display:flex;flex-direction:column;gap:6px}
.row{display:flex;gap:8px;align-items:flex-end;max-width:88%}
.row.me{align-self:flex-end;flex-direction:row-reverse}
.av{flex:none;width:28px;height:28px;border-radius:50%;background:#6b7280;color:#fff;font-size:11px;font-weight:600;display:flex;align-items:center;justify-content:center}
.bub{padding:8px 11px;border-radius:14px;background:#fff;border:1px solid #e5e7eb;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}
.me .bub{background:${color};color:#fff;border-color:transparent}
.me .bub a{color:#fff}
.who{font-size:11px;color:#6b7280;margin:0 0 2px 36px}
.meta{font-size:11px;color:#6b7280;align-self:flex-end}
.fail{color:#b91c1c;cursor:pointer}
.bub img{max-width:200px;border-radius:8px;display:block;margin-top:4px}
.greet{align-self:flex-start}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:10px;display:flex;flex-direction:column;gap:6px}
.card a{color:${color}}
.card input,.comp textarea{border:1px solid #d1d5db;border-radius:8px;padding:8px;width:100%;color:#111827;background:#fff}
.btn{background:${color};color:#fff;border:0;border-radius:8px;padding:8px 12px;cursor:pointer;font-weight:600}
.typing{font-size:12px;color:#6b7280;padding:0 14px 4px;min-height:18px;background:#f9fafb}
.comp{display:flex;gap:6px;padding:8px;border-top:1px solid #e5e7eb;align-items:flex-end}
.comp textarea{resize:none;height:40px;max-height:120px;flex:1}
.ic{background:none;border:0;cursor:pointer;padding:8px;color:#4b5563;font-size:18px}
.foot{display:flex;justify-content:space-between;padding:4px 10px 8px;font-size:11px;color:#9ca3af}
.foot button{background:none;border:0;color:#6b7280;cursor:pointer;font-size:11px;text-decoration:underline}
.err{color:#b91c1c;font-size:12px;padding:0 12px}
`;
