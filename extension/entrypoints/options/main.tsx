import { render } from "preact";
import { OptionsApp } from "../../options/App";
import "../../options/page.css";

render(<OptionsApp />, document.getElementById("app")!);
