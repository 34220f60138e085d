import { render } from "preact";
import { Popup } from "../../options/Popup";

render(<Popup />, document.getElementById("app")!);
