import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as r,b as i}from"./chunk-LVKEIE3P.js";var o=i((p,e)=>{e.exports=r("node:path")});export{o as a};
