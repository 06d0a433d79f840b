import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app") as HTMLElement);

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  // After the first paint: the shell is cached for offline use in the background.
  addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  });
}
