import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as e,b as r}from"./chunk-OOEDKO62.js";var p=r((s,i)=>{i.exports=e("events")});var q=r((t,o)=>{o.exports=e("buffer")});export{p as a,q as b};
