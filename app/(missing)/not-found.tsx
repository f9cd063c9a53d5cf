export { default, metadata } from "../(console)/not-found";
