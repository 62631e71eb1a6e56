import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as e,b as r}from"./chunk-LVKEIE3P.js";var p=r((s,i)=>{i.exports=e("node:fs/promises")});var q=r((t,o)=>{o.exports=e("node:path")});export{q as a,p as b};
